-- purpose: unresolved alerts grouped by region (the county, else the owner) × rule, inside a caller's scope and a region filter: members, acknowledged, oldest opening, highest severity and level
SELECT
  if(county_code != '', county_code, owner_code) AS region,
  rule,
  max(multiIf(severity = 'critical', 4, severity = 'high', 3, severity = 'medium', 2, 1)) AS severity_rank,
  count() AS n,
  countIf(state = 'acknowledged') AS acknowledged,
  toString(min(opened_at)) AS oldest_opened_at,
  max(multiIf(level = 'province', 2, level = 'unit', 1, 0)) AS escalation_level
FROM alerts FINAL
WHERE state != 'resolved'
  AND ({scopeAll:UInt8} = 1
    OR (county_code != '' AND has({scopeCounties:Array(String)}, county_code))
    OR (county_code = '' AND has({scopeRegions:Array(String)}, owner_code)))
  AND ({regionAll:UInt8} = 1
    OR (county_code != '' AND has({regionCounties:Array(String)}, county_code))
    OR (county_code = '' AND has({regionRegions:Array(String)}, owner_code)))
GROUP BY region, rule
