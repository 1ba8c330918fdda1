-- purpose: a unit's recruitment events (latest version of each) between two days
SELECT event_id, toString(e_date) AS event_date, event_type, region_code
FROM (
  SELECT event_id, argMax(unit_code, version) AS unit_code, argMax(event_date, version) AS e_date,
    argMax(event_type, version) AS event_type, argMax(region_code, version) AS region_code
  FROM event_raw
  GROUP BY event_id
)
WHERE unit_code IN {units:Array(String)} AND e_date BETWEEN {from:Date} AND {to:Date}
ORDER BY e_date, event_id
