-- purpose: per reporting unit and 亮相 item, the first day a publication of the unit or one of its counties carried it (latest version of every publication of the given load runs)
SELECT unit, item, toString(min(day)) AS first_day
FROM (
  SELECT t.1 AS unit, t.2 AS day, t.3 AS items
  FROM (SELECT argMax((unit_code, published_date, items), version) AS t FROM publicity_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY publication_id)
)
ARRAY JOIN items AS item
GROUP BY unit, item
