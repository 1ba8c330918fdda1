-- purpose: person-level alert conditions of the help plans as of an instant: hardship_visit_overdue (the current plan's 回访周期 since its last return visit; without a plan the fixed window of hardship_no_followup, when that rule is off) and hardship_no_plan; one row per breached rule and person, names masked only
-- Current plan = latest version per 计划编号 with 制定日期 ≤ today, greatest (制定日期, 计划编号). Last visit = latest 跟踪回访 service up to now,
-- or the plan's 制定日期 when later. Overdue once today − last visit > 回访周期: the deadline is 00:00 of last visit + 回访周期 + 1 (as the metric).
WITH {now:DateTime('Asia/Shanghai')} AS now_,
  toDate(now_) AS today,
  toDateTime('2100-01-01 00:00:00', 'Asia/Shanghai') AS never
SELECT
  {evalId:UInt64} AS eval_id,
  r.1 AS rule,
  toString(p.person_key) AS subject,
  'person' AS subject_kind,
  p.county AS county_code,
  multiIf(p.county = '', '', p.county = '220581', '220581', startsWith(p.county, '2299'), '229900', concat(substring(p.county, 1, 4), '00')) AS unit_code,
  if(p.county = '', '220000', p.county) AS owner_code,
  if(p.county = '', 'province', 'county') AS owner_level,
  {ruleSeverity:Array(String)}[indexOf({ruleKeys:Array(String)}, r.1)] AS severity,
  {ruleTitle:Array(String)}[indexOf({ruleKeys:Array(String)}, r.1)] AS title,
  p.name_masked AS name_masked,
  toJSONString(map(
    'received', toString(p.received),
    'planId', if(p.n > 0, p.cur.4, ''),
    'planDate', if(p.n > 0, toString(p.cur.1), ''),
    'visitDays', if(p.n > 0, toString(p.cur.2), ''),
    'lastVisit', ifNull(toString(toDate(p.last_visit)), ''),
    'lastService', ifNull(toString(p.last_at), ''),
    'due', toString(r.2))) AS detail,
  r.2 AS breached_at
FROM (
  SELECT st.person_key AS person_key, st.s.1 AS county, st.s.2 AS received, st.s.3 AS assigned, st.s.4 AS emp, st.s.5 AS name_masked,
    pl.n AS n, pl.cur AS cur, sv.last_visit AS last_visit, sv.last_at AS last_at
  FROM (
    SELECT person_key,
      argMax(tuple(county_code, received_date, assigned_date, has({employed:Array(String)}, employment_status), name_masked, notEmpty(hardship)),
        (updated_at, version)) AS s
    FROM ledger_raw
    WHERE updated_at <= now_
    GROUP BY person_key
    HAVING s.2 <= today AND s.6
  ) AS st
  LEFT JOIN (
    SELECT t.1 AS person_key, count() AS n,
      argMax((t.2, ifNull(t.3, {defaultVisitDays:UInt8}), t.4, plan_id), (t.2, plan_id)) AS cur
    FROM (SELECT plan_id, argMax((person_key, plan_date, visit_days, status), version) AS t FROM plan_raw GROUP BY plan_id)
    WHERE t.2 <= today
    GROUP BY person_key
  ) AS pl ON pl.person_key = st.person_key
  LEFT JOIN (
    SELECT pk AS person_key, maxIfOrNull(t, ty = {visitType:String}) AS last_visit, maxOrNull(t) AS last_at
    FROM (
      SELECT argMax(person_key, version) AS pk, argMax(service_time, version) AS t, argMax(service_type, version) AS ty
      FROM service_raw
      WHERE person_key IN (SELECT person_key FROM ledger_raw WHERE notEmpty(hardship))
      GROUP BY record_id
    )
    WHERE t <= now_
    GROUP BY pk
  ) AS sv ON sv.person_key = st.person_key
) AS p
ARRAY JOIN arrayFilter(x -> x.2 <= now_ AND has({enabled:Array(String)}, x.1), [
  ('hardship_visit_overdue',
    if(p.emp, never,
      if(p.n > 0,
        if(p.cur.3 = {planActive:String},
          toDateTime(greatest(ifNull(toDate(p.last_visit), p.cur.1), p.cur.1) + (toUInt32(p.cur.2) + 1), 'Asia/Shanghai'), never),
        if({fallback:UInt8} = 1,
          greatest(ifNull(p.last_at, toDateTime(coalesce(p.assigned, p.received), 'Asia/Shanghai')),
            toDateTime(coalesce(p.assigned, p.received), 'Asia/Shanghai')) + toIntervalDay({fuDays:UInt32}), never)))),
  ('hardship_no_plan',
    if(p.n = 0, toDateTime(p.received + ({npDays:UInt32} + 1), 'Asia/Shanghai'), never))
]) AS r
