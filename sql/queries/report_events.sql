-- purpose: recruitment events (latest version of each) per reporting unit and type, held in the report week and in the report month up to the as-of day
SELECT unit_code,
  countIf(e_date >= {weekStart:Date} AND event_type = {professional:String}) AS week_professional,
  countIf(e_date >= {weekStart:Date} AND event_type = {comprehensive:String}) AS week_comprehensive,
  countIf(e_date >= {monthStart:Date} AND event_type = {professional:String}) AS month_professional,
  countIf(e_date >= {monthStart:Date} AND event_type = {comprehensive:String}) AS month_comprehensive
FROM (
  SELECT event_id, argMax(unit_code, version) AS unit_code, argMax(event_date, version) AS e_date, argMax(event_type, version) AS event_type
  FROM event_raw
  GROUP BY event_id
)
WHERE e_date BETWEEN least({weekStart:Date}, {monthStart:Date}) AND {asOf:Date}
GROUP BY unit_code
