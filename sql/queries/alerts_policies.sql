-- purpose: policy_pending conditions as of an instant: policy applications (latest version of each) received more than N days ago and not granted by today, owned by the granting county; the person's name masked only
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT
  {evalId:UInt64} AS eval_id,
  'policy_pending' AS rule,
  concat('grant:', g.grant_id) AS subject,
  'record' AS subject_kind,
  g.county AS county_code,
  multiIf(g.county = '220581', '220581', startsWith(g.county, '2299'), '229900', concat(substring(g.county, 1, 4), '00')) AS unit_code,
  g.county AS owner_code,
  'county' AS owner_level,
  {severity:String} AS severity,
  concat(g.policy, ' 受理于 ', toString(g.applied), '，超过 ', toString({days:UInt32}), ' 天仍未办结') AS title,
  ifNull(l.ledger_name, '') AS name_masked,
  toJSONString(map('grantId', g.grant_id, 'policy', g.policy, 'applied', toString(g.applied), 'idNumber', g.id_masked)) AS detail,
  toDateTime(toString(g.applied + {days:UInt32} + 1), 'Asia/Shanghai') AS breached_at
FROM (
  SELECT grant_id, gt.1 AS county, gt.2 AS policy, gt.3 AS applied, gt.4 AS granted, gt.5 AS person_key, gt.6 AS id_masked
  FROM (
    SELECT grant_id, argMax(tuple(county_code, policy, applied_date, granted_date, person_key, id_masked), version) AS gt
    FROM grant_raw GROUP BY grant_id
  )
) AS g
LEFT JOIN (
  SELECT person_key, argMax(name_masked, (updated_at, version)) AS ledger_name
  FROM ledger_raw
  WHERE person_key IN (SELECT person_key FROM grant_raw) AND updated_at <= now_
  GROUP BY person_key
) AS l ON l.person_key = g.person_key
WHERE toDateTime(toString(g.applied + {days:UInt32} + 1), 'Asia/Shanghai') <= now_
  AND NOT ifNull(g.granted <= toDate(now_), 0)
