-- purpose: person-level alert conditions as of an instant, computed per person inside ClickHouse: not_contacted, not_distributed, hardship_no_one_on_one, hardship_no_followup, incomplete_1311; one row per breached rule and person, names masked only
-- Person state = latest ledger version by (更新时间, version) up to now, received by today; services = latest version per 记录编号 with 服务时间 up to now.
-- Day rules: "within N days of day D0" allows D0 … D0+N, so the deadline is 00:00 of D0+N+1; a rule is breached once its deadline ≤ now.
-- A breach lasts while the work is not recorded (contact, distribution, 一对一帮扶, a service, a complete 1311): recording it clears the condition.
-- hardship_no_followup leaves out persons with a help plan dated by today: their return visits follow the plan's cadence (alerts_care_persons.sql).
WITH {now:DateTime('Asia/Shanghai')} AS now_,
  toDate(now_) AS today,
  toDateTime('2100-01-01 00:00:00', 'Asia/Shanghai') AS never
SELECT
  {evalId:UInt64} AS eval_id,
  r.1 AS rule,
  toString(p.person_key) AS subject,
  'person' AS subject_kind,
  p.county AS county_code,
  -- the reporting unit of a county (regions.md): 梅河口 is its own unit, 2299xx belong to 长白山管委会
  multiIf(p.county = '', '', p.county = '220581', '220581', startsWith(p.county, '2299'), '229900', concat(substring(p.county, 1, 4), '00')) AS unit_code,
  if(p.county = '', '220000', p.county) AS owner_code,
  if(p.county = '', 'province', 'county') AS owner_level,
  {ruleSeverity:Array(String)}[indexOf({ruleKeys:Array(String)}, r.1)] AS severity,
  {ruleTitle:Array(String)}[indexOf({ruleKeys:Array(String)}, r.1)] AS title,
  p.name_masked AS name_masked,
  toJSONString(map(
    'received', toString(p.received),
    'assigned', ifNull(toString(p.assigned), ''),
    'firstContact', ifNull(toString(p.c_at), ''),
    'lastService', ifNull(toString(p.last_at), ''),
    'due', toString(r.2))) AS detail,
  r.2 AS breached_at
FROM (
  SELECT st.person_key AS person_key, st.s.1 AS county, st.s.2 AS received, st.s.3 AS assigned, st.s.4 AS intent, st.s.5 AS hs,
    st.s.6 AS emp, st.s.7 AS name_masked, sv.c_at AS c_at, sv.o2o AS o2o, sv.last_at AS last_at, sv.complete AS complete,
    st.person_key IN (SELECT t.1 FROM (SELECT argMax((person_key, plan_date), version) AS t FROM plan_raw GROUP BY plan_id) WHERE t.2 <= today) AS planned
  FROM (
    SELECT person_key,
      argMax(tuple(county_code, received_date, assigned_date, category = {intentCategory:String}, notEmpty(hardship),
        has({employed:Array(String)}, employment_status), name_masked), (updated_at, version)) AS s
    FROM ledger_raw
    WHERE updated_at <= now_
    GROUP BY person_key
    HAVING s.2 <= today
  ) AS st
  LEFT JOIN (
    SELECT pk AS person_key,
      minIfOrNull(t, ty != {contactType:String} OR cr = {contactOk:String}) AS c_at,
      toUInt8(countIf(ty = {o2oType:String}) > 0) AS o2o,
      maxOrNull(t) AS last_at,
      toUInt8(arrayAll((n, m) -> n >= m, sumForEach(arrayMap(x -> toUInt32(ty = x), {r1311Types:Array(String)})), {r1311Counts:Array(UInt32)})) AS complete
    FROM (
      -- The latest version of every service record without a 30 M-key string aggregation (which held ~10 GB at
      -- national size): a record whose 记录编号 hash occurs once has one row, its own latest; only the few hashes
      -- that occur more than once (re-sent records, and any hash collision) are aggregated per 记录编号.
      WITH multi AS (SELECT cityHash64(record_id) AS h FROM service_raw GROUP BY h HAVING count() > 1)
      SELECT person_key AS pk, service_time AS t, service_type AS ty, contact_result AS cr
      FROM service_raw
      WHERE cityHash64(record_id) NOT IN multi
      UNION ALL
      SELECT argMax(person_key, version), argMax(service_time, version), argMax(service_type, version), argMax(contact_result, version)
      FROM service_raw
      WHERE cityHash64(record_id) IN multi
      GROUP BY record_id
    )
    WHERE t <= now_
    GROUP BY pk
  ) AS sv ON sv.person_key = st.person_key
) AS p
ARRAY JOIN arrayFilter(x -> x.2 <= now_ AND has({enabled:Array(String)}, x.1), [
  ('not_contacted',
    if(p.county != '' AND p.c_at IS NULL, toDateTime(coalesce(p.assigned, p.received) + ({ncDays:UInt32} + 1), 'Asia/Shanghai'), never)),
  ('not_distributed',
    if(p.county = '', least(toDateTime(p.received + ({ndDays:UInt32} + 1), 'Asia/Shanghai'),
      toDateTime(concat(toString({ndOn:Date}), ' 23:59:59'), 'Asia/Shanghai')), never)),
  ('hardship_no_one_on_one',
    if(p.hs AND p.o2o = 0, toDateTime(p.received + ({o2oDays:UInt32} + 1), 'Asia/Shanghai'), never)),
  ('hardship_no_followup',
    if(p.hs AND NOT p.emp AND NOT p.planned,
      greatest(ifNull(p.last_at, toDateTime(coalesce(p.assigned, p.received), 'Asia/Shanghai')),
        toDateTime(coalesce(p.assigned, p.received), 'Asia/Shanghai')) + toIntervalDay({fuDays:UInt32}), never)),
  ('incomplete_1311',
    if(p.intent AND p.complete = 0 AND p.c_at IS NOT NULL, toDateTime(toDate(assumeNotNull(p.c_at)) + ({k1311Days:UInt32} + 1), 'Asia/Shanghai'), never))
]) AS r
