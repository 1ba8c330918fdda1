-- purpose: every metric count for every region for each day in [from, to] in one pass over the metric state (person_spans, help_days): each span's contributions become +1/-1 deltas per county and day, summed up to each day
-- A span counts from d0 to the day before d1; within it a milestone counts from the later of d0 and the milestone's day.
WITH
  person_deltas AS (
    -- five narrow aggregations over the spans (no per-row arrays): starts, ends, and the three milestones
    SELECT county, d0 AS day, toInt64(count()) AS received, toInt64(countIf(county = '')) AS pending, 0 AS contacted, toInt64(countIf(intent)) AS intent,
      0 AS completed, toInt64(countIf(emp)) AS employed, toInt64(countIf(hs)) AS hardship, 0 AS o2o, toInt64(countIf(hs AND emp)) AS hardship_employed,
      0 AS help, 0 AS help_sla, 0 AS help_overdue
    FROM person_spans WHERE d0 <= {to:Date} GROUP BY county, day
    UNION ALL
    SELECT county, d1, -toInt64(count()), -toInt64(countIf(county = '')), -toInt64(countIf(c_day < d1)), -toInt64(countIf(intent)), -toInt64(countIf(intent AND k_day < d1)),
      -toInt64(countIf(emp)), -toInt64(countIf(hs)), -toInt64(countIf(hs AND o_day < d1)), -toInt64(countIf(hs AND emp)), 0, 0, 0
    FROM person_spans WHERE d1 <= {to:Date} GROUP BY county, d1
    UNION ALL
    SELECT county, greatest(d0, c_day) AS day, 0, 0, toInt64(count()), 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM person_spans WHERE c_day < d1 AND greatest(d0, c_day) <= {to:Date} GROUP BY county, day
    UNION ALL
    SELECT county, greatest(d0, k_day) AS day, 0, 0, 0, 0, toInt64(count()), 0, 0, 0, 0, 0, 0, 0
    FROM person_spans WHERE intent AND k_day < d1 AND greatest(d0, k_day) <= {to:Date} GROUP BY county, day
    UNION ALL
    SELECT county, greatest(d0, o_day) AS day, 0, 0, 0, 0, 0, 0, 0, toInt64(count()), 0, 0, 0, 0
    FROM person_spans WHERE hs AND o_day < d1 AND greatest(d0, o_day) <= {to:Date} GROUP BY county, day
  ),
  help_deltas AS (
    SELECT county, day, 0 AS received, 0 AS pending, 0 AS contacted, 0 AS intent, 0 AS completed, 0 AS employed, 0 AS hardship,
      0 AS o2o, 0 AS hardship_employed, sum(h) AS help, sum(s) AS help_sla, sum(o) AS help_overdue
    FROM help_days
    WHERE day <= {to:Date}
    GROUP BY county, day
  ),
  deltas AS (
    SELECT p.1 AS level, p.2 AS code, day,
      sum(received) AS received, sum(pending) AS pending, sum(contacted) AS contacted, sum(intent) AS intent, sum(completed) AS completed,
      sum(employed) AS employed, sum(hardship) AS hardship, sum(o2o) AS o2o, sum(hardship_employed) AS hardship_employed,
      sum(help) AS help, sum(help_sla) AS help_sla, sum(help_overdue) AS help_overdue
    FROM (SELECT * FROM person_deltas UNION ALL SELECT * FROM help_deltas) AS c
    INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
    ARRAY JOIN paths.path AS p
    GROUP BY level, code, day
  )
SELECT level, code, toString(D) AS as_of,
  toUInt32(sumIf(received, day <= D)) AS received, toUInt32(sumIf(pending, day <= D)) AS pending,
  toUInt32(sumIf(contacted, day <= D)) AS contacted, toUInt32(sumIf(intent, day <= D)) AS intent,
  toUInt32(sumIf(completed, day <= D)) AS completed1311, toUInt32(sumIf(employed, day <= D)) AS employed,
  toUInt32(sumIf(hardship, day <= D)) AS hardship, toUInt32(sumIf(o2o, day <= D)) AS hardship_o2o,
  toUInt32(sumIf(hardship_employed, day <= D)) AS hardship_employed, toUInt32(sumIf(help, day <= D)) AS help_requests,
  toUInt32(sumIf(help_sla, day <= D)) AS help_in_sla, toUInt32(sumIf(help_overdue, day <= D)) AS help_overdue
FROM deltas
ARRAY JOIN arrayMap(i -> {from:Date} + i, range(toUInt32(dateDiff('day', {from:Date}, {to:Date}) + 1))) AS D
GROUP BY level, code, D
ORDER BY D, level, code
