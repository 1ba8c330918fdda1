-- purpose: the service-record versions that are not their record's latest (only records loaded more than once have any), over every record ({all} = 1) or the records of the persons in person_touched
-- Every record: the records loaded more than once are found by a hash of 记录编号 first (no 30 M-key string
-- aggregation), then checked exactly. Touched persons: all versions of their records, whoever they belong to.
SELECT record_id, arrayJoin(arrayFilter(v -> v != vmax, vs)) AS version
FROM (
  SELECT record_id, groupArray(version) AS vs, max(version) AS vmax
  FROM service_raw
  WHERE run_id IN {runs:Array(UInt64)} AND (
    {all:UInt8} = 1 AND cityHash64(record_id) IN (
      SELECT cityHash64(record_id) AS h FROM service_raw WHERE run_id IN {runs:Array(UInt64)} AND {all:UInt8} = 1 GROUP BY h HAVING count() > 1)
    OR {all:UInt8} = 0 AND record_id IN (
      SELECT record_id FROM service_raw WHERE {all:UInt8} = 0 AND person_key IN (SELECT person_key FROM person_touched))
  )
  GROUP BY record_id
  HAVING count() > 1
)
