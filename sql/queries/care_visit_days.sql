-- purpose: the distinct 跟踪回访 days of every person who has a help plan (latest version of every service record of the given load runs)
SELECT toString(t.1) AS person_key, arraySort(groupUniqArray(toString(toDate(t.2)))) AS days
FROM (
  SELECT argMax((person_key, service_time, service_type), version) AS t FROM service_raw
  WHERE run_id IN {runs:Array(UInt64)}
    AND record_id IN (SELECT record_id FROM service_raw WHERE run_id IN {runs:Array(UInt64)} AND service_type = {visitType:String}
      AND person_key IN (SELECT person_key FROM plan_raw WHERE run_id IN {runs:Array(UInt64)}))
  GROUP BY record_id
)
WHERE t.3 = {visitType:String} AND t.1 IN (SELECT person_key FROM plan_raw WHERE run_id IN {runs:Array(UInt64)})
GROUP BY t.1
