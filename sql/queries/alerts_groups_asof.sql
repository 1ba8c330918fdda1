-- purpose: the same groups as they stood at an earlier instant, rebuilt from the append-only alert history: an alert counts when its latest opening / resolution event by then is an opening, acknowledged when an acknowledgement follows that opening
WITH {at:DateTime('Asia/Shanghai')} AS at_
SELECT
  if(a.county_code != '', a.county_code, a.owner_code) AS region,
  a.rule AS rule,
  max(multiIf(a.severity = 'critical', 4, a.severity = 'high', 3, a.severity = 'medium', 2, 1)) AS severity_rank,
  count() AS n,
  countIf(h.last_state_event = 'acknowledged') AS acknowledged,
  toString(min(h.opened_at)) AS oldest_opened_at,
  max(multiIf(h.level = 'province', 2, h.level = 'unit', 1, 0)) AS escalation_level
FROM (
  SELECT
    alert_id,
    argMaxIf(event, (ts, recorded_at), event IN ('opened', 'reopened', 'resolved', 'auto_resolved')) AS last_life_event,
    argMaxIf(event, (ts, recorded_at), event IN ('opened', 'reopened', 'acknowledged', 'resolved', 'auto_resolved')) AS last_state_event,
    maxIf(ts, event IN ('opened', 'reopened')) AS opened_at,
    argMax(level, (ts, recorded_at)) AS level
  FROM alert_events
  WHERE ts <= at_
  GROUP BY alert_id
) AS h
INNER JOIN (
  SELECT alert_id, rule, county_code, owner_code, severity FROM alerts FINAL
  WHERE ({scopeAll:UInt8} = 1
      OR (county_code != '' AND has({scopeCounties:Array(String)}, county_code))
      OR (county_code = '' AND has({scopeRegions:Array(String)}, owner_code)))
    AND ({regionAll:UInt8} = 1
      OR (county_code != '' AND has({regionCounties:Array(String)}, county_code))
      OR (county_code = '' AND has({regionRegions:Array(String)}, owner_code)))
) AS a ON a.alert_id = h.alert_id
WHERE h.last_life_event IN ('opened', 'reopened')
GROUP BY region, rule
