-- purpose: every metric count for every region for each day in [from, to] in one pass: each person's state changes become +1/-1 deltas per county and day, summed up to each day
WITH
  dv AS (
    SELECT person_key, toDate(updated_at) AS e,
      argMax(tuple(county_code, received_date, category = {intentCategory:String}, notEmpty(hardship), has({employed:Array(String)}, employment_status)), (updated_at, version)) AS s
    FROM ledger_raw
    WHERE toDate(updated_at) <= {to:Date}
    GROUP BY person_key, e
  ),
  seg AS (
    SELECT person_key, e, s,
      leadInFrame(e, 1, toDate('2149-06-06')) OVER (PARTITION BY person_key ORDER BY e ASC ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS e_next
    FROM dv
  ),
  iv AS (
    SELECT s.1 AS county, s.3 AS intent, s.4 AS hs, s.5 AS emp, m.c_day AS c_day, m.k_day AS k_day, m.o_day AS o_day,
      -- the days inside this version's span where the person's contribution can change
      arraySort(arrayDistinct(arrayFilter(x -> x >= greatest(seg.e, s.2) AND x < e_next,
        [greatest(seg.e, s.2), ifNull(m.c_day, seg.e), ifNull(m.k_day, seg.e), ifNull(m.o_day, seg.e)]))) AS bps,
      e_next
    FROM seg
    LEFT JOIN (/*milestones*/) AS m ON m.person_key = seg.person_key
    WHERE greatest(seg.e, s.2) < e_next
  ),
  pieces AS (
    SELECT county, d0, d1,
      ifNull(c_day <= d0, 0) AS con, intent, intent AND ifNull(k_day <= d0, 0) AS comp, emp, hs,
      hs AND ifNull(o_day <= d0, 0) AS o2o
    FROM (
      SELECT county, intent, hs, emp, c_day, k_day, o_day,
        arrayJoin(arrayMap(i -> (bps[i], if(i < length(bps), bps[i + 1], e_next)), arrayEnumerate(bps))) AS span,
        span.1 AS d0, span.2 AS d1
      FROM iv
    )
  ),
  person_deltas AS (
    SELECT county, x.1 AS day,
      sum(x.2) AS received, sumIf(x.2, county = '') AS pending, sumIf(x.2, con) AS contacted, sumIf(x.2, intent) AS intent,
      sumIf(x.2, comp) AS completed, sumIf(x.2, emp) AS employed, sumIf(x.2, hs) AS hardship, sumIf(x.2, o2o) AS o2o,
      sumIf(x.2, hs AND emp) AS hardship_employed, 0 AS help, 0 AS help_sla, 0 AS help_overdue
    FROM pieces
    ARRAY JOIN [(d0, toInt32(1)), (d1, toInt32(-1))] AS x
    WHERE x.1 <= {to:Date}
    GROUP BY county, day
  ),
  hr AS (
    -- one argMax over a tuple: argMax over the Nullable first_contact_at alone would skip a later version that cleared it
    SELECT t.1 AS county, t.2 AS rq, t.3 AS fc
    FROM (SELECT argMax(tuple(county_code, requested_at, first_contact_at), version) AS t FROM help_raw GROUP BY request_id)
  ),
  help_deltas AS (
    SELECT county, x.1 AS day, 0 AS received, 0 AS pending, 0 AS contacted, 0 AS intent, 0 AS completed, 0 AS employed, 0 AS hardship,
      0 AS o2o, 0 AS hardship_employed, sumIf(1, x.2 = 1) AS help, sumIf(1, x.2 = 2) AS help_sla, sumIf(1, x.2 = 3) AS help_overdue
    FROM hr
    ARRAY JOIN arrayConcat(
      [(toDate(rq), 1)],
      if(fc IS NOT NULL AND fc <= rq + toIntervalMinute({slaMinutes:UInt32}), [(greatest(toDate(rq), toDate(assumeNotNull(fc))), 2)], []),
      if(NOT ifNull(fc <= rq + toIntervalMinute({slaMinutes:UInt32}), 0), [(toDate(rq + toIntervalMinute({slaMinutes:UInt32})), 3)], [])
    ) AS x
    WHERE x.1 <= {to:Date}
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
