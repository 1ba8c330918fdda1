-- purpose: per person, the first day each service milestone is reached (contact, complete 1311, one-on-one), from the latest version of every service record
-- Most records have one version: only records loaded more than once (found by a hash of 记录编号, then checked
-- exactly) have older versions to drop, so the 30 M-row pass needs no per-record aggregation. One GROUP BY per person:
-- for each 1311 type the {r1311Max} earliest days of that type (other rows add the far-future day), whose
-- {r1311Counts}-th element is the day the type's count is reached.
WITH toDate('2149-06-06') AS never
SELECT person_key, c_day, o_day, if(kd = never, NULL, kd) AS k_day
FROM (
  SELECT person_key,
    minIfOrNull(toDate(service_time), service_type != {contactType:String} OR contact_result = {contactOk:String}) AS c_day,
    minIfOrNull(toDate(service_time), service_type = {o2oType:String}) AS o_day,
    groupArraySortedForEach({r1311Max:UInt32})(arrayMap(t -> if(service_type = t, toDate(service_time), never), {r1311Types:Array(String)})) AS firsts,
    arrayMax(arrayMap((f, m) -> if(m = 0, toDate(0), if(m <= length(f), f[m], never)), firsts, {r1311Counts:Array(UInt32)})) AS kd
  FROM service_raw
  WHERE (record_id, version) NOT IN (
    -- every version but the latest of each record loaded more than once
    SELECT record_id, arrayJoin(arrayFilter(v -> v != vmax, vs))
    FROM (
      SELECT record_id, groupArray(version) AS vs, max(version) AS vmax
      FROM service_raw
      WHERE cityHash64(record_id) IN (SELECT cityHash64(record_id) AS h FROM service_raw GROUP BY h HAVING count() > 1)
      GROUP BY record_id
      HAVING count() > 1
    )
  )
  GROUP BY person_key
)
