-- purpose: each person's day spans of constant ledger state, with the days the person reaches each service milestone, for every person ({all} = 1) or those in person_touched, from the given load runs
-- A span starts on the day a version became the state at end of day (the last version by (更新时间, version) of that
-- day) or on its 接收日期 if later, and ends where the next such version starts. Milestones come from the latest
-- version of every service record (its person may have changed), as in person_milestones.sql: the versions to drop
-- are in service_superseded (state_superseded.sql, computed just before).
WITH
  toDate('2149-06-06') AS never,
  per AS (
    SELECT person_key,
      arraySort(x -> (x.1, x.2), groupArray((updated_at, version, county_code, received_date,
        category = {intentCategory:String}, notEmpty(hardship), has({employed:Array(String)}, employment_status)))) AS all_v,
      -- the state at the end of each day that has versions: that day's last version
      arrayFilter((x, i) -> i = length(all_v) OR toDate(all_v[i + 1].1) != toDate(x.1), all_v, arrayEnumerate(all_v)) AS vs
    FROM ledger_raw
    WHERE run_id IN {runs:Array(UInt64)} AND ({all:UInt8} = 1 OR person_key IN (SELECT person_key FROM person_touched))
    GROUP BY person_key
  ),
  spans AS (
    SELECT person_key, sp.1 AS county, sp.2 AS d0, sp.3 AS d1, sp.4 AS intent, sp.5 AS hs, sp.6 AS emp
    FROM per
    ARRAY JOIN arrayMap(i -> (vs[i].3, greatest(toDate(vs[i].1), vs[i].4), if(i < length(vs), toDate(vs[i + 1].1), never), vs[i].5, vs[i].6, vs[i].7),
      arrayEnumerate(vs)) AS sp
    WHERE sp.2 < sp.3
  ),
  ms AS (
    -- for every person or only the touched ones (the person of a record's latest version)
    SELECT person_key,
      minIfOrNull(toDate(service_time), service_type != {contactType:String} OR contact_result = {contactOk:String}) AS c_day,
      minIfOrNull(toDate(service_time), service_type = {o2oType:String}) AS o_day,
      groupArraySortedForEach({r1311Max:UInt32})(arrayMap(t -> if(service_type = t, toDate(service_time), never), {r1311Types:Array(String)})) AS firsts,
      arrayMap((f, m) -> if(m = 0, toDate(0), if(m <= length(f), f[m], never)), firsts, {r1311Counts:Array(UInt32)}) AS comp_days,
      arrayMax(comp_days) AS k_day
    FROM service_raw
    WHERE run_id IN {runs:Array(UInt64)}
      AND ({all:UInt8} = 1 OR person_key IN (SELECT person_key FROM person_touched))
      AND (record_id, version) NOT IN (SELECT record_id, version FROM service_superseded)
    GROUP BY person_key
  )
SELECT spans.person_key AS person_key, county, d0, d1, intent, hs, emp,
  ifNull(ms.c_day, never) AS c_day, if(ms.person_key = spans.person_key, ms.k_day, never) AS k_day, ifNull(ms.o_day, never) AS o_day,
  if(ms.person_key = spans.person_key, ms.comp_days, arrayMap(m -> if(m = 0, toDate(0), never), {r1311Counts:Array(UInt32)})) AS comp_days
FROM spans
LEFT JOIN ms ON ms.person_key = spans.person_key
