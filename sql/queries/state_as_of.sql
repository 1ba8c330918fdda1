-- purpose: every metric count for every region as of the end of one day, from the metric state the refresh job keeps (person_spans, help_days) instead of the raw tables
SELECT p.1 AS level, p.2 AS code,
  sum(n_received) AS received, sum(n_pending) AS pending, sum(n_contacted) AS contacted, sum(n_intent) AS intent,
  sum(n_completed) AS completed1311, sum(n_employed) AS employed, sum(n_hardship) AS hardship, sum(n_o2o) AS hardship_o2o,
  sum(n_hardship_employed) AS hardship_employed, sum(n_help) AS help_requests, sum(n_help_sla) AS help_in_sla, sum(n_help_overdue) AS help_overdue
FROM (
  SELECT county, count() AS n_received, countIf(county = '') AS n_pending, countIf(c_day <= {asOf:Date}) AS n_contacted,
    countIf(intent) AS n_intent, countIf(intent AND k_day <= {asOf:Date}) AS n_completed, countIf(emp) AS n_employed,
    countIf(hs) AS n_hardship, countIf(hs AND o_day <= {asOf:Date}) AS n_o2o, countIf(hs AND emp) AS n_hardship_employed,
    toUInt64(0) AS n_help, toUInt64(0) AS n_help_sla, toUInt64(0) AS n_help_overdue
  FROM person_spans
  WHERE d0 <= {asOf:Date} AND {asOf:Date} < d1
  GROUP BY county
  UNION ALL
  SELECT county, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(h), sum(s), sum(o)
  FROM help_days
  WHERE day <= {asOf:Date}
  GROUP BY county
) AS c
INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
ARRAY JOIN paths.path AS p
GROUP BY level, code
