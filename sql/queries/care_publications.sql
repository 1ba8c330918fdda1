-- purpose: every 亮相 publication (latest version per 发布编号) of a set of reporting units, for the checklist
SELECT publication_id, t.1 AS region_code, t.2 AS unit_code, toString(t.3) AS published_date, t.4 AS items, t.5 AS channel, t.6 AS url
FROM (SELECT publication_id, argMax((region_code, unit_code, published_date, items, channel, url), version) AS t FROM publicity_raw GROUP BY publication_id)
WHERE has({units:Array(String)}, t.2)
ORDER BY published_date, publication_id
