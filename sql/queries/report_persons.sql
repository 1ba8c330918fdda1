-- purpose: the report columns the metrics do not carry (received by source and by category, persons served, hardship persons placed in public-welfare posts) for every region as of the end of one day, per county and rolled up like metrics_as_of.sql
WITH toDateTime(concat(toString({asOf:Date}), ' 23:59:59'), 'Asia/Shanghai') AS eod
SELECT p.1 AS level, p.2 AS code,
  sum(received) AS received, sumForEach(by_source) AS by_source, sumForEach(by_category) AS by_category,
  sum(served) AS served, sum(hardship_welfare) AS hardship_welfare
FROM (
  SELECT county, count() AS received,
    sumForEach(arrayMap(x -> toUInt64(source = x), {sources:Array(String)})) AS by_source,
    sumForEach(arrayMap(x -> toUInt64(category = x), {categories:Array(String)})) AS by_category,
    countIf(served) AS served,
    countIf(hs AND (status = {welfareStatus:String} OR welfare_service)) AS hardship_welfare
  FROM (
    SELECT st.s.1 AS county, st.s.3 AS source, st.s.4 AS category, st.s.5 AS hs, st.s.6 AS status,
      ifNull(sv.served_day <= {asOf:Date}, 0) AS served,
      ifNull(sv.welfare_day <= {asOf:Date}, 0) AS welfare_service
    FROM (
      SELECT person_key,
        argMax(tuple(county_code, received_date, source, category, notEmpty(hardship), employment_status), (updated_at, version)) AS s
      FROM ledger_raw
      WHERE updated_at <= eod
      GROUP BY person_key
      HAVING s.2 <= {asOf:Date}
    ) AS st
    LEFT JOIN (
      -- per person, the first day of a service other than the contact itself, and of a public-welfare placement (latest version of every record)
      SELECT pk AS person_key,
        minOrNull(if(ty != {contactType:String}, d, NULL)) AS served_day,
        minOrNull(if(ty = {welfareType:String}, d, NULL)) AS welfare_day
      FROM (
        SELECT argMax(person_key, version) AS pk, toDate(argMax(service_time, version)) AS d, argMax(service_type, version) AS ty
        FROM service_raw
        GROUP BY record_id
      )
      GROUP BY pk
    ) AS sv ON sv.person_key = st.person_key
  )
  GROUP BY county
) AS c
INNER JOIN (/*paths*/) AS paths ON paths.county = c.county
ARRAY JOIN paths.path AS p
GROUP BY level, code
