-- purpose: the day deltas of centre_1311 per region straight from the raw tables (the live path): as measures_completed_state.sql, with each ledger person's 1311 day from their services
SELECT level, code, greatest(first_in, k) AS day, 'centre_1311' AS key, toInt64(count()) AS v
FROM (
  SELECT p.1 AS level, p.2 AS code, person_key, min(entered) AS first_in
  FROM (/*measures_latest_stays*/) AS s
  INNER JOIN (/*measures_paths*/) AS paths ON paths.code = s.county
  ARRAY JOIN paths.path AS p
  GROUP BY level, code, person_key
) AS sr
INNER JOIN (
  SELECT person_key, assumeNotNull(k_day) AS k FROM (/*milestones*/)
  WHERE k_day IS NOT NULL AND person_key IN (SELECT person_key FROM stay_raw) AND person_key IN (SELECT person_key FROM ledger_raw)
) AS kd ON kd.person_key = sr.person_key
GROUP BY level, code, day
