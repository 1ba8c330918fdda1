-- purpose: the people behind an alert, masked, as of an instant: given persons, or the persons of given counties still lacking a contact ('contact') or a complete 1311 ('1311'); never names, ID numbers or phones in clear
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT toString(st.person_key) AS person_key, st.s.1 AS county_code, st.s.7 AS name_masked, st.s.8 AS id_masked,
  toString(st.s.2) AS received_date, ifNull(toString(st.s.3), '') AS assigned_date, st.s.9 AS category, st.s.10 AS hardship,
  st.s.11 AS employment_status, ifNull(toString(sv.c_at), '') AS first_contact_at, ifNull(toString(sv.last_at), '') AS last_service_at,
  sv.o2o AS one_on_one, sv.complete AS complete_1311,
  count() OVER () AS total
FROM (
  SELECT person_key,
    argMax(tuple(county_code, received_date, assigned_date, category = {intentCategory:String}, notEmpty(hardship),
      has({employed:Array(String)}, employment_status), name_masked, id_masked, category, hardship, employment_status), (updated_at, version)) AS s
  FROM ledger_raw
  WHERE updated_at <= now_
    AND (length({personKeys:Array(String)}) = 0 OR has({personKeys:Array(String)}, toString(person_key)))
  GROUP BY person_key
  HAVING s.2 <= toDate(now_)
    AND (length({counties:Array(String)}) = 0 OR has({counties:Array(String)}, s.1))
) AS st
LEFT JOIN (
  SELECT pk AS person_key,
    minIfOrNull(t, ty != {contactType:String} OR cr = {contactOk:String}) AS c_at,
    toUInt8(countIf(ty = {o2oType:String}) > 0) AS o2o,
    maxOrNull(t) AS last_at,
    toUInt8(arrayAll((n, m) -> n >= m, sumForEach(arrayMap(x -> toUInt32(ty = x), {r1311Types:Array(String)})), {r1311Counts:Array(UInt32)})) AS complete
  FROM (
    SELECT argMax(person_key, version) AS pk, argMax(service_time, version) AS t, argMax(service_type, version) AS ty,
      argMax(contact_result, version) AS cr
    FROM service_raw
    GROUP BY record_id
  )
  WHERE t <= now_
  GROUP BY pk
) AS sv ON sv.person_key = st.person_key
WHERE {need:String} = ''
  OR ({need:String} = 'contact' AND sv.c_at IS NULL)
  OR ({need:String} = '1311' AND st.s.4 AND sv.complete = 0)
ORDER BY county_code, name_masked, person_key
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
