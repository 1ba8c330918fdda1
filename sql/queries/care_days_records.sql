-- purpose: day deltas per region code of the record kinds (rights cases, 典型 stories, recruitment events by 专项活动), from the latest version of every record of the given load runs
-- A case counts from 受理日期; it is open until its 办结日期 (not open on that day) and overdue from the day after its 纠正期限 while open.
WITH toDate('2149-06-06') AS never
SELECT region, x.1 AS day, x.2 AS k, sum(x.3) AS n
FROM (
  SELECT t.1 AS region, t.2 AS opened, t.3 AS case_type, ifNull(t.4, never) AS deadline, ifNull(t.5, never) AS closed, t.6 AS grads,
    greatest(opened, if(deadline = never, never, deadline + 1)) AS due
  FROM (SELECT argMax((region_code, opened_date, case_type, deadline, closed_date, graduates), version) AS t FROM rights_raw
        WHERE run_id IN {runs:Array(UInt64)} GROUP BY case_id)
)
ARRAY JOIN arrayConcat(
  [(opened, 'rights', toInt64(1)), (opened, concat('rt:', case_type), toInt64(1)), (opened, 'rights_grads', toInt64(grads))],
  if(opened < closed, arrayConcat([(opened, 'rights_open', toInt64(1))], if(closed < never, [(closed, 'rights_open', toInt64(-1))], [])), []),
  if(due < closed, arrayConcat([(due, 'rights_overdue', toInt64(1))], if(closed < never, [(closed, 'rights_overdue', toInt64(-1))], [])), [])
) AS x
GROUP BY region, day, k
UNION ALL
SELECT t.1 AS region, t.2 AS day, concat('st:', t.3) AS k, toInt64(count()) AS n
FROM (SELECT argMax((region_code, published_date, story_type), version) AS t FROM story_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY story_id)
GROUP BY region, day, k
UNION ALL
SELECT t.1 AS region, t.2 AS day, concat('ev:', if(t.3 = '', {eventOther:String}, t.3)) AS k, toInt64(count()) AS n
FROM (SELECT argMax((region_code, event_date, campaign), version) AS t FROM event_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY event_id)
GROUP BY region, day, k
