-- purpose: the 1311 funnel per region as of the end of one day from the kept per-person state (person_spans), the same definitions as funnel_1311.sql without reading the raw tables
-- A person counts on a day when a span covers it (received, state as of that day) and the state says 有就业意愿;
-- components[i]: the person's i-th 1311 component was reached by that day (comp_days, aligned with the rule); completed: all of them (k_day).
SELECT p.1 AS level, p.2 AS code,
  toUInt32(sum(js)) AS job_seekers,
  arrayMap(x -> toUInt32(x), sumForEach(parts)) AS components,
  toUInt32(sum(complete)) AS completed
FROM (
  SELECT county, toUInt64(1) AS js,
    arrayMap(d -> toUInt64(d <= {asOf:Date}), comp_days) AS parts,
    toUInt64(k_day <= {asOf:Date}) AS complete
  FROM person_spans
  WHERE d0 <= {asOf:Date} AND {asOf:Date} < d1 AND intent
) AS c
INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
ARRAY JOIN paths.path AS p
GROUP BY level, code
