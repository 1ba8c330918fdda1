-- purpose: the latest version of every help plan of the given load runs whose person is a hardship person in some span, with the 跟踪回访 days of that person (for the overdue intervals)
SELECT toString(person_key) AS person_key, groupArray((plan_id, toString(plan_date), visit_days, status)) AS plans
FROM (
  SELECT plan_id, t.1 AS person_key, t.2 AS plan_date, t.3 AS visit_days, t.4 AS status
  FROM (SELECT plan_id, argMax((person_key, plan_date, visit_days, status), version) AS t FROM plan_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY plan_id)
)
WHERE person_key IN (SELECT person_key FROM person_spans WHERE hs)
GROUP BY person_key
