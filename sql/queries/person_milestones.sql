-- purpose: per person, the first day each service milestone is reached (contact, complete 1311, one-on-one), from the latest version of every service record
SELECT
  pk AS person_key,
  minOrNull(c_min) AS c_day,
  minOrNull(if(ty = {o2oType:String}, days[1], NULL)) AS o_day,
  if(
    countIf(has({r1311Types:Array(String)}, ty) AND length(days) >= {r1311Counts:Array(UInt32)}[indexOf({r1311Types:Array(String)}, ty)])
      = length({r1311Types:Array(String)}),
    maxOrNull(if(has({r1311Types:Array(String)}, ty), days[{r1311Counts:Array(UInt32)}[indexOf({r1311Types:Array(String)}, ty)]], NULL)),
    NULL
  ) AS k_day
FROM (
  SELECT pk, ty, arraySort(groupArray(d)) AS days, minIfOrNull(d, ty != {contactType:String} OR cr = {contactOk:String}) AS c_min
  FROM (
    SELECT
      argMax(person_key, version) AS pk,
      toDate(argMax(service_time, version)) AS d,
      argMax(service_type, version) AS ty,
      argMax(contact_result, version) AS cr
    FROM service_raw
    GROUP BY record_id
  )
  GROUP BY pk, ty
)
GROUP BY pk
