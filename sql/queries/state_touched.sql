-- purpose: the persons whose metric state new load runs may change: every person with a new ledger row, and every person any version of a newly loaded service record belongs or belonged to
SELECT DISTINCT person_key FROM (
  SELECT person_key FROM ledger_raw WHERE run_id IN {newRuns:Array(UInt64)}
  UNION ALL
  SELECT person_key FROM service_raw
  WHERE run_id IN {runs:Array(UInt64)}
    AND record_id IN (SELECT record_id FROM service_raw WHERE run_id IN {newRuns:Array(UInt64)})
)
