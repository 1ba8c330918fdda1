-- purpose: the policy records (latest version of each) granted by a region's counties and received by a day, with the person masked (ID as stored, name from the ledger); paged, with the total
SELECT g.grant_id AS id, g.id_masked AS id_masked, ifNull(l.name_masked, '') AS name, g.policy AS policy, toString(g.amount) AS amount,
  toString(g.applied) AS applied, if(g.granted IS NOT NULL AND g.granted <= {asOf:Date}, toString(assumeNotNull(g.granted)), '') AS granted,
  g.channel AS channel, g.county AS county, g.employer AS employer, count() OVER () AS total
FROM (
  SELECT grant_id, gt.1 AS person_key, gt.2 AS id_masked, gt.3 AS policy, gt.4 AS amount, gt.5 AS applied, gt.6 AS granted, gt.7 AS channel,
    gt.8 AS county, gt.9 AS employer
  FROM (
    SELECT grant_id, argMax(tuple(person_key, id_masked, policy, amount, applied_date, granted_date, channel, county_code, employer), version) AS gt
    FROM grant_raw GROUP BY grant_id
  )
  WHERE county IN {codes:Array(String)} AND applied <= {asOf:Date}
) AS g
LEFT JOIN (
  SELECT person_key, argMax(name_masked, (updated_at, version)) AS name_masked FROM ledger_raw
  WHERE person_key IN (SELECT person_key FROM grant_raw) GROUP BY person_key
) AS l ON l.person_key = g.person_key
ORDER BY g.county, g.applied, g.grant_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
