-- purpose: every metric count for every region (county-level units, units, province) as of the end of one day, computed from the raw tables
WITH toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai') AS eod
SELECT p.1 AS level, p.2 AS code,
  sum(received) AS received, sum(pending) AS pending, sum(contacted) AS contacted, sum(intent) AS intent,
  sum(completed) AS completed1311, sum(employed) AS employed, sum(hardship) AS hardship, sum(o2o) AS hardship_o2o,
  sum(hardship_employed) AS hardship_employed, sum(help) AS help_requests, sum(help_sla) AS help_in_sla, sum(help_overdue) AS help_overdue
FROM (
  SELECT county, count() AS received, countIf(county = '') AS pending, countIf(con) AS contacted, countIf(intent) AS intent,
    countIf(comp) AS completed, countIf(emp) AS employed, countIf(hs) AS hardship, countIf(o2o) AS o2o, countIf(hs AND emp) AS hardship_employed,
    0 AS help, 0 AS help_sla, 0 AS help_overdue
  FROM (
    SELECT s.1 AS county, s.3 AS intent_cat, s.4 AS hs, s.5 AS emp,
      ifNull(m.c_day <= {asOf:Date}, 0) AS con,
      intent_cat AS intent,
      intent_cat AND ifNull(m.k_day <= {asOf:Date}, 0) AS comp,
      hs AND ifNull(m.o_day <= {asOf:Date}, 0) AS o2o
    FROM (
      SELECT person_key,
        argMax(tuple(county_code, received_date, category = {intentCategory:String}, notEmpty(hardship), has({employed:Array(String)}, employment_status)), (updated_at, version)) AS s
      FROM ledger_raw
      WHERE updated_at <= eod
      GROUP BY person_key
      HAVING s.2 <= {asOf:Date}
    ) AS st
    LEFT JOIN (/*milestones*/) AS m ON m.person_key = st.person_key
  )
  GROUP BY county
  UNION ALL
  SELECT county, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    countIf(rq <= eod) AS help,
    countIf(rq <= eod AND fc IS NOT NULL AND fc <= eod AND fc <= rq + toIntervalMinute({slaMinutes:UInt32})) AS help_sla,
    countIf(rq + toIntervalMinute({slaMinutes:UInt32}) <= eod AND NOT ifNull(fc <= rq + toIntervalMinute({slaMinutes:UInt32}), 0)) AS help_overdue
  FROM (
    -- one argMax over a tuple: argMax over the Nullable first_contact_at alone would skip a later version that cleared it
    SELECT t.1 AS county, t.2 AS rq, t.3 AS fc
    FROM (SELECT argMax(tuple(county_code, requested_at, first_contact_at), version) AS t FROM help_raw GROUP BY request_id)
  )
  GROUP BY county
) AS c
INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
ARRAY JOIN paths.path AS p
GROUP BY level, code
