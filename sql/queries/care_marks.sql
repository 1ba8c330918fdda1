-- purpose: per hardship person (in any span of person_spans), the first 制定日期 of their plans and the first day of a 跟踪回访 service, from the latest version of every plan and service record of the given load runs
WITH toDate('2149-06-06') AS never
SELECT person_key, min(p) AS p_day, min(v) AS v_day
FROM (
  SELECT t.1 AS person_key, t.2 AS p, never AS v
  FROM (SELECT argMax((person_key, plan_date), version) AS t FROM plan_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY plan_id)
  UNION ALL
  SELECT t.1, never, toDate(t.2)
  FROM (
    SELECT argMax((person_key, service_time, service_type), version) AS t FROM service_raw
    WHERE run_id IN {runs:Array(UInt64)}
      -- Only records with a 跟踪回访 version of a hardship person can end as one (their latest version is such a row);
      -- all versions of those records are then compared, whoever they belong to. At national size this is a
      -- tenth of all 跟踪回访 records (37 s → 3 s for the same rows, docs/benchmarks.md).
      AND record_id IN (SELECT record_id FROM service_raw WHERE run_id IN {runs:Array(UInt64)} AND service_type = {visitType:String}
        AND person_key IN (SELECT person_key FROM person_spans WHERE hs))
    GROUP BY record_id
  )
  WHERE t.3 = {visitType:String}
)
WHERE person_key IN (SELECT person_key FROM person_spans WHERE hs)
GROUP BY person_key
