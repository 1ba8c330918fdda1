-- purpose: per county-level unit, when its data last changed (ledger time and load time) and how many rejected rows name it
SELECT r.code AS county, toString(l.last_update) AS last_ledger_update, toString(runs.started_at) AS last_load, l.last_run AS last_run,
  toString(s.last_service) AS last_service, ifNull(j.rejects, 0) AS rejects
FROM (SELECT code FROM regions WHERE level = 'county' AND has({counties:Array(String)}, code)) AS r
LEFT JOIN (
  SELECT county_code, max(updated_at) AS last_update, max(run_id) AS last_run
  FROM ledger_raw WHERE has({counties:Array(String)}, county_code) GROUP BY county_code
) AS l ON l.county_code = r.code
LEFT JOIN (SELECT run_id, argMax(started_at, updated_at) AS started_at FROM ingest_runs GROUP BY run_id) AS runs ON runs.run_id = l.last_run
LEFT JOIN (
  SELECT county_code, max(service_time) AS last_service FROM service_raw WHERE has({counties:Array(String)}, county_code) GROUP BY county_code
) AS s ON s.county_code = r.code
LEFT JOIN (
  SELECT c, countIf(position(raw_masked, c) > 0) AS rejects FROM ingest_rejects ARRAY JOIN {counties:Array(String)} AS c GROUP BY c
) AS j ON j.c = r.code
ORDER BY r.code
