-- purpose: the 1311 funnel per region as of the end of one day: job-seekers (received, 帮扶类别 有就业意愿), how many meet each 1311 component, and how many meet all
-- Person state = latest ledger version by (更新时间, version) up to end of day; services = latest version per 记录编号
-- with 服务时间 up to end of day, credited to the person's county (not the record's); rolled up like metrics_as_of.sql.
-- {r1311Types} and {r1311Counts} are the campaign's rule, aligned: components[i] counts persons with ≥ r1311Counts[i] services of r1311Types[i].
WITH toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai') AS eod
SELECT p.1 AS level, p.2 AS code,
  toUInt32(sum(js)) AS job_seekers,
  arrayMap(x -> toUInt32(x), sumForEach(parts)) AS components,
  toUInt32(sum(complete)) AS completed
FROM (
  SELECT st.s.1 AS county, toUInt64(1) AS js,
    arrayMap((m, i) -> toUInt64(sv.n[i] >= m), {r1311Counts:Array(UInt32)}, arrayEnumerate({r1311Counts:Array(UInt32)})) AS parts,
    toUInt64(arrayAll(x -> x = 1, parts)) AS complete
  FROM (
    SELECT person_key,
      argMax(tuple(county_code, received_date, category = {intentCategory:String}), (updated_at, version)) AS s
    FROM ledger_raw
    WHERE updated_at <= eod
    GROUP BY person_key
    HAVING s.2 <= {asOf:Date} AND s.3
  ) AS st
  LEFT JOIN (
    -- per person, the number of services of each rule type (aligned with {r1311Types})
    SELECT pk AS person_key, sumForEach(arrayMap(x -> toUInt32(ty = x), {r1311Types:Array(String)})) AS n
    FROM (
      SELECT argMax(person_key, version) AS pk, argMax(service_time, version) AS t, argMax(service_type, version) AS ty
      FROM service_raw
      GROUP BY record_id
    )
    WHERE t <= eod AND has({r1311Types:Array(String)}, ty)
    GROUP BY pk
  ) AS sv ON sv.person_key = st.person_key
) AS c
INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
ARRAY JOIN paths.path AS p
GROUP BY level, code
