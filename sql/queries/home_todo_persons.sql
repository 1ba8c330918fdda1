-- purpose: today's to-do as of a day D for given counties, one row per person and kind: help requests whose 24 h run out on D and not contacted by the end of D ('help_due', items = requests); persons distributed and not contacted by the end of D after the N days allowed ('no_contact'); hardship persons not employed whose return visit falls due by the end of D ('visit_due': with a help plan dated by D, its 回访周期 since the last 跟踪回访 or the plan's date, as hardship_visit_overdue; a plan no longer 执行中 is never due; without a plan, the fixed window of hardship_no_followup since the last service or the receipt)
-- The same conditions as the alert rules (docs/alerts.md), but as of the end of a chosen day: "within N days of D0" allows D0 … D0+N, so a person is on the list from D0+N+1 on.
-- Embedded in cases.sql as the case list's `todo` filter, so the home page's counts and the list its links open are one definition.
SELECT td_person_key AS person_key, td_county AS county_code, td_kind AS kind, td_items AS items
FROM (
  SELECT toString(hp) AS td_person_key, hx.1 AS td_county, 'help_due' AS td_kind, count() AS td_items
  FROM (
    SELECT argMax(person_key, version) AS hp, argMax(tuple(county_code, requested_at, first_contact_at), version) AS hx
    FROM help_raw
    WHERE has({counties:Array(String)}, county_code)
    GROUP BY request_id
  )
  WHERE toDate(hx.2 + toIntervalMinute({slaMinutes:UInt32}), 'Asia/Shanghai') = {asOf:Date}
    AND NOT ifNull(hx.3 <= toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai'), 0)
  GROUP BY hp, hx.1

  UNION ALL

  SELECT toString(tp.person_key), tp.s.1, tk, 1
  FROM (
    SELECT person_key,
      argMax(tuple(county_code, received_date, assigned_date, notEmpty(hardship), has({employed:Array(String)}, employment_status)),
        (updated_at, version)) AS s
    FROM ledger_raw
    WHERE updated_at <= toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai')
    GROUP BY person_key
    HAVING s.2 <= {asOf:Date} AND has({counties:Array(String)}, s.1)
  ) AS tp
  LEFT JOIN (
    SELECT tpk AS person_key,
      minIfOrNull(tt, tty != {contactType:String} OR tcr = {contactOk:String}) AS c_at,
      maxOrNull(tt) AS last_at,
      maxIfOrNull(tt, tty = {visitType:String}) AS last_visit
    FROM (
      SELECT argMax(person_key, version) AS tpk, argMax(service_time, version) AS tt, argMax(service_type, version) AS tty,
        argMax(contact_result, version) AS tcr
      FROM service_raw
      WHERE person_key IN (SELECT person_key FROM ledger_raw WHERE has({counties:Array(String)}, county_code))
      GROUP BY record_id
    )
    WHERE tt <= toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai')
    GROUP BY tpk
  ) AS tv ON tv.person_key = tp.person_key
  LEFT JOIN (
    -- The current plan as of D: latest version per 计划编号, dated by D, greatest (制定日期, 计划编号) — as alerts_care_persons.sql.
    SELECT t.1 AS person_key, count() AS n, argMax((t.2, ifNull(t.3, {defaultVisitDays:UInt8}), t.4), (t.2, plan_id)) AS cur
    FROM (SELECT plan_id, argMax((person_key, plan_date, visit_days, status), version) AS t FROM plan_raw GROUP BY plan_id)
    WHERE t.2 <= {asOf:Date}
    GROUP BY person_key
  ) AS tl ON tl.person_key = tp.person_key
  ARRAY JOIN arrayFilter(k -> k != '', [
    if(tv.c_at IS NULL AND coalesce(tp.s.3, tp.s.2) + ({ncDays:UInt32} + 1) <= {asOf:Date}, 'no_contact', ''),
    if(tp.s.4 AND NOT tp.s.5 AND tl.n > 0
      AND tl.cur.3 = {planActive:String}
      AND greatest(ifNull(toDate(tv.last_visit), tl.cur.1), tl.cur.1) + toUInt32(tl.cur.2) <= {asOf:Date},
      'visit_due', ''),
    if(tp.s.4 AND NOT tp.s.5 AND tl.n = 0
      AND greatest(ifNull(tv.last_at, toDateTime(coalesce(tp.s.3, tp.s.2), 'Asia/Shanghai')), toDateTime(coalesce(tp.s.3, tp.s.2), 'Asia/Shanghai'))
        + toIntervalDay({fuDays:UInt32}) <= toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai'),
      'visit_due', '')
  ]) AS tk
)
