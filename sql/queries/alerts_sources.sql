-- purpose: per ingest source, as of an instant: when it last brought new rows, and the status of its latest finished run (stale_data for sources and failed pulls)
SELECT source,
  toString(maxIf(finished_at, status = 'succeeded' AND accepted > duplicates)) AS last_new,
  countIf(status = 'succeeded' AND accepted > duplicates) AS new_runs,
  argMax(status, (started_at, run_id)) AS last_status,
  argMax(error, (started_at, run_id)) AS last_error,
  toString(max(started_at)) AS last_started
FROM ingest_runs FINAL
WHERE started_at <= {now:DateTime('Asia/Shanghai')} AND status IN ('succeeded', 'failed') AND has({sources:Array(String)}, source)
GROUP BY source
ORDER BY source
