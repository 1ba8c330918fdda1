-- purpose: help requests as day deltas per county (latest version per 求助编号, from the given load runs): requested, contacted within the SLA, overdue
SELECT county, x.1 AS day, toUInt32(countIf(x.2 = 1)) AS h, toUInt32(countIf(x.2 = 2)) AS s, toUInt32(countIf(x.2 = 3)) AS o
FROM (
  -- one argMax over a tuple: argMax over the Nullable first_contact_at alone would skip a later version that cleared it
  SELECT t.1 AS county, t.2 AS rq, t.3 AS fc
  FROM (SELECT argMax(tuple(county_code, requested_at, first_contact_at), version) AS t FROM help_raw WHERE run_id IN {runs:Array(UInt64)} GROUP BY request_id)
)
ARRAY JOIN arrayConcat(
  [(toDate(rq), 1)],
  if(fc IS NOT NULL AND fc <= rq + toIntervalMinute({slaMinutes:UInt32}), [(greatest(toDate(rq), toDate(assumeNotNull(fc))), 2)], []),
  if(NOT ifNull(fc <= rq + toIntervalMinute({slaMinutes:UInt32}), 0), [(toDate(rq + toIntervalMinute({slaMinutes:UInt32})), 3)], [])
) AS x
GROUP BY county, day
