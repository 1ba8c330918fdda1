-- purpose: the job posts (latest version of each) of a region (its counties and reporting units' own posts) developed by a day; paged, with the total
SELECT post_id AS id, pt.1 AS region, pt.2 AS source, pt.3 AS employer, pt.4 AS title, toString(pt.5) AS developed, pt.6 AS openings,
  if(pt.7 IS NOT NULL AND pt.7 <= {asOf:Date}, toString(assumeNotNull(pt.7)), '') AS published, pt.8 AS hired, count() OVER () AS total
FROM (
  SELECT post_id, argMax(tuple(region_code, post_source, employer, title, developed_date, openings, published_date, hired), version) AS pt
  FROM post_raw GROUP BY post_id
)
WHERE pt.1 IN {codes:Array(String)} AND pt.5 <= {asOf:Date}
ORDER BY region, developed, id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
