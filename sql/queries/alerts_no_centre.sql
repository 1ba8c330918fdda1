-- purpose: no_training_centre conditions as of an instant: once the campaign's deadline day has ended, every county-level unit without a training centre (latest version of each) opened by today
WITH {now:DateTime('Asia/Shanghai')} AS now_, toDateTime(concat({deadline:String}, ' 23:59:59'), 'Asia/Shanghai') AS due
SELECT
  {evalId:UInt64} AS eval_id,
  'no_training_centre' AS rule,
  concat('county:', r.code, ':no_centre') AS subject,
  'region' AS subject_kind,
  r.code AS county_code,
  assumeNotNull(r.parent_code) AS unit_code,
  r.code AS owner_code,
  'county' AS owner_level,
  {severity:String} AS severity,
  concat(r.name, '截至 ', {deadline:String}, ' 仍未挂牌实训中心') AS title,
  '' AS name_masked,
  toJSONString(map('deadline', {deadline:String})) AS detail,
  due AS breached_at
FROM regions AS r
WHERE r.level = 'county' AND due <= now_
  AND r.code NOT IN (
    SELECT ct.1 FROM (SELECT argMax(tuple(county_code, opened_date), version) AS ct FROM centre_raw GROUP BY centre_id) WHERE ct.2 <= toDate(now_)
  )
