-- purpose: the persons of a county as of a day, with what they are missing (contact, 1311 components, one-on-one, overdue help), filtered (also by the home page's to-do kinds, home_todo_persons.sql) and paged inside ClickHouse
WITH toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai') AS eod
SELECT *, count() OVER () AS total
FROM (
  SELECT
    toString(st.person_key) AS person_key,
    s.1 AS county_code, s.2 AS received_date, s.3 AS category, s.4 AS hardship, s.5 AS employment_status,
    s.6 AS name_masked, s.7 AS id_masked, s.8 AS phone_masked, s.9 AS assigned_date, s.10 AS updated_at,
    ifNull(sv.contacted, 0) AS contacted,
    ifNull(sv.guidance, 0) AS guidance, ifNull(sv.referral, 0) AS referral,
    ifNull(sv.training, 0) AS training, ifNull(sv.internship, 0) AS internship,
    ifNull(sv.one_on_one, 0) AS one_on_one, sv.last_service AS last_service,
    ifNull(hr.overdue, 0) AS help_overdue,
    category = {intentCategory:String} AND guidance >= {r1311Counts:Array(UInt32)}[1] AND referral >= {r1311Counts:Array(UInt32)}[2]
      AND training >= {r1311Counts:Array(UInt32)}[3] AND internship >= {r1311Counts:Array(UInt32)}[4] AS complete1311,
    arrayFilter(x -> x != '', [
      if(guidance < {r1311Counts:Array(UInt32)}[1], {r1311Types:Array(String)}[1], ''),
      if(referral < {r1311Counts:Array(UInt32)}[2], {r1311Types:Array(String)}[2], ''),
      if(training < {r1311Counts:Array(UInt32)}[3], {r1311Types:Array(String)}[3], ''),
      if(internship < {r1311Counts:Array(UInt32)}[4], {r1311Types:Array(String)}[4], '')]) AS missing1311
  FROM (
    SELECT person_key,
      argMax(tuple(county_code, received_date, category, hardship, employment_status, name_masked, id_masked, phone_masked,
        assigned_date, updated_at), (updated_at, version)) AS s
    FROM ledger_raw
    WHERE updated_at <= eod
    GROUP BY person_key
    HAVING s.2 <= {asOf:Date} AND has({counties:Array(String)}, s.1)
  ) AS st
  LEFT JOIN (
    SELECT pk AS person_key,
      countIf(ty != {contactType:String} OR cr = {contactOk:String}) > 0 AS contacted,
      countIf(ty = {r1311Types:Array(String)}[1]) AS guidance, countIf(ty = {r1311Types:Array(String)}[2]) AS referral,
      countIf(ty = {r1311Types:Array(String)}[3]) AS training, countIf(ty = {r1311Types:Array(String)}[4]) AS internship,
      countIf(ty = {o2oType:String}) AS one_on_one, toString(max(st)) AS last_service
    FROM (
      SELECT argMax(person_key, version) AS pk, argMax(service_time, version) AS st, argMax(service_type, version) AS ty,
        argMax(contact_result, version) AS cr
      FROM service_raw
      WHERE person_key IN (SELECT person_key FROM ledger_raw WHERE has({counties:Array(String)}, county_code))
      GROUP BY record_id
    )
    WHERE st <= eod
    GROUP BY pk
  ) AS sv ON sv.person_key = st.person_key
  LEFT JOIN (
    SELECT person_key, countIf(x.2 + toIntervalMinute({slaMinutes:UInt32}) <= eod
      AND NOT ifNull(x.3 <= x.2 + toIntervalMinute({slaMinutes:UInt32}), 0)) AS overdue
    FROM (
      SELECT argMax(person_key, version) AS person_key, argMax(tuple(county_code, requested_at, first_contact_at), version) AS x
      FROM help_raw WHERE has({counties:Array(String)}, county_code) GROUP BY request_id
    )
    WHERE x.2 <= eod
    GROUP BY person_key
  ) AS hr ON hr.person_key = st.person_key
)
WHERE ({category:String} = '' OR category = {category:String})
  AND ({contactedF:Int8} = -1 OR contacted = {contactedF:Int8})
  AND ({complete1311F:Int8} = -1 OR (category = {intentCategory:String} AND complete1311 = {complete1311F:Int8}))
  AND ({missing:String} = '' OR (category = {intentCategory:String} AND has(missing1311, {missing:String})))
  AND ({hardshipF:Int8} = -1 OR notEmpty(hardship) = {hardshipF:Int8})
  AND ({noOneOnOne:Int8} = 0 OR (notEmpty(hardship) AND one_on_one = 0))
  AND ({employment:String} = '' OR employment_status = {employment:String} OR ({employment:String} = '未填写' AND employment_status = ''))
  AND ({overdueF:Int8} = 0 OR help_overdue > 0)
  AND ({todo:String} = '' OR person_key IN (SELECT person_key FROM (/*home_todo_persons*/) WHERE kind = {todo:String}))
  -- 无帮扶计划: a hardship person without a plan dated by the day; 回访逾期: the kept overdue intervals of the care state (care_overdue), not employed
  AND ({noPlan:Int8} = 0 OR (notEmpty(hardship) AND toUUID(person_key) NOT IN (
    SELECT t.1 FROM (SELECT argMax((person_key, plan_date), version) AS t FROM plan_raw GROUP BY plan_id) WHERE t.2 <= {asOf:Date})))
  AND ({visitOverdue:Int8} = 0 OR (notEmpty(hardship) AND NOT has({employed:Array(String)}, employment_status)
    AND toUUID(person_key) IN (SELECT person_key FROM care_overdue WHERE a <= {asOf:Date} AND {asOf:Date} < b)))
ORDER BY
  multiIf({sort:String} = 'received', toString(received_date), {sort:String} = 'updated', toString(updated_at),
    {sort:String} = 'lastService', ifNull(last_service, ''), {sort:String} = 'name', name_masked, person_key) ASC,
  person_key ASC
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
