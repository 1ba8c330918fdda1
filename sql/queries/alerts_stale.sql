-- purpose: stale_data conditions of counties as of an instant: county-level units with ledger data (台账 updates or service records) whose latest entry is at least N days old
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT
  {evalId:UInt64} AS eval_id,
  'stale_data' AS rule,
  concat('county:', county) AS subject,
  'region' AS subject_kind,
  county AS county_code,
  multiIf(county = '220581', '220581', startsWith(county, '2299'), '229900', concat(substring(county, 1, 4), '00')) AS unit_code,
  county AS owner_code,
  'county' AS owner_level,
  {severity:String} AS severity,
  concat(any(r.name), ' 自 ', toString(toDate(max(t))), ' 起已 ', toString(dateDiff('day', max(t), now_)), ' 天无新台账数据') AS title,
  '' AS name_masked,
  toJSONString(map('lastData', toString(max(t)), 'days', toString({days:UInt32}))) AS detail,
  max(t) + toIntervalDay({days:UInt32}) AS breached_at
FROM (
  SELECT county_code AS county, updated_at AS t FROM ledger_raw WHERE updated_at <= now_ AND county_code != ''
  UNION ALL
  SELECT county_code AS county, service_time AS t FROM service_raw WHERE service_time <= now_ AND county_code != ''
) AS d
INNER JOIN (SELECT code, name FROM regions WHERE level = 'county') AS r ON r.code = d.county
GROUP BY county
HAVING max(t) + toIntervalDay({days:UInt32}) <= now_
