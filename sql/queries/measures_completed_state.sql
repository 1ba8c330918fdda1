-- purpose: the day deltas of centre_1311 per region from the kept state: a stay's person counts from the later of their first entry in the region and the day they completed 1311 (person_spans.k_day)
SELECT level, code, greatest(first_in, k) AS day, 'centre_1311' AS key, toInt64(count()) AS v
FROM (
  SELECT p.1 AS level, p.2 AS code, person_key, min(entered) AS first_in
  FROM (/*measures_latest_stays*/) AS s
  INNER JOIN (/*measures_paths*/) AS paths ON paths.code = s.county
  ARRAY JOIN paths.path AS p
  GROUP BY level, code, person_key
) AS sr
INNER JOIN (
  SELECT person_key, min(k_day) AS k FROM person_spans WHERE k_day < toDate('2149-06-06') GROUP BY person_key
) AS kd ON kd.person_key = sr.person_key
GROUP BY level, code, day
