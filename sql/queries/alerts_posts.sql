-- purpose: post_unpublished conditions as of an instant: job posts (latest version of each) once the N days after 开发日期 have ended without a 发布日期 on 96885 by today; a county's post is the county's, a unit's own post the unit's
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT
  {evalId:UInt64} AS eval_id,
  'post_unpublished' AS rule,
  concat('post:', post_id) AS subject,
  'record' AS subject_kind,
  if(is_county, region, '') AS county_code,
  unit AS unit_code,
  region AS owner_code,
  if(is_county, 'county', 'unit') AS owner_level,
  {severity:String} AS severity,
  concat('岗位 ', post_id, if(title = '', '', concat('（', title, '）')), ' 开发于 ', toString(developed), '，', toString({days:UInt32}), ' 天内未在96885吉人在线发布') AS title,
  '' AS name_masked,
  toJSONString(map('postId', post_id, 'developed', toString(developed), 'source', src, 'openings', toString(openings))) AS detail,
  toDateTime(toString(developed + {days:UInt32} + 1), 'Asia/Shanghai') AS breached_at
FROM (
  SELECT post_id, pt.1 AS region, pt.2 AS unit, pt.3 AS developed, pt.4 AS published, pt.5 AS openings, pt.6 AS src, pt.7 AS title,
    region IN (SELECT code FROM regions WHERE level = 'county') AS is_county
  FROM (
    SELECT post_id, argMax(tuple(region_code, unit_code, developed_date, published_date, openings, post_source, title), version) AS pt
    FROM post_raw GROUP BY post_id
  )
)
WHERE toDateTime(toString(developed + {days:UInt32} + 1), 'Asia/Shanghai') <= now_
  AND NOT ifNull(published <= toDate(now_), 0)
