-- purpose: what one evaluation changes, as the pairs (condition, stored alert) that need a new version: new conditions, resolved alerts whose condition is back, unresolved alerts whose condition cleared, hand resolutions to release, and unresolved alerts whose content changed or whose escalation window has passed
-- {escRules} {escCounty} {escUnit} are aligned: the county and unit windows (minutes) of each rule.
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT
  c.present AS c_present, a.present AS a_present,
  c.rule AS c_rule, c.subject AS c_subject, c.subject_kind AS c_subject_kind, c.county_code AS c_county_code, c.unit_code AS c_unit_code,
  c.owner_code AS c_owner_code, c.owner_level AS c_owner_level, c.severity AS c_severity, c.title AS c_title, c.name_masked AS c_name_masked,
  c.detail AS c_detail, toString(c.breached_at) AS c_breached_at,
  a.alert_id AS alert_id, a.rule AS rule, a.subject AS subject, a.subject_kind AS subject_kind, a.county_code AS county_code, a.unit_code AS unit_code,
  a.owner_code AS owner_code, a.owner_level AS owner_level, a.level AS level, a.severity AS severity, a.state AS state, a.title AS title,
  a.name_masked AS name_masked, a.detail AS detail, toString(a.breached_at) AS breached_at, toString(a.opened_at) AS opened_at,
  toString(a.first_opened_at) AS first_opened_at, toString(a.due_at) AS due_at, toString(a.escalated_at) AS escalated_at, a.ack_by AS ack_by,
  a.ack_note AS ack_note, toString(a.ack_at) AS ack_at, toString(a.resolved_at) AS resolved_at, a.resolved_by AS resolved_by,
  a.resolve_reason AS resolve_reason, a.suppressed AS suppressed, a.reopen_count AS reopen_count, a.notified AS notified, a.version AS version
FROM (SELECT 1 AS present, * FROM alert_conditions WHERE eval_id = {evalId:UInt64}) AS c
FULL OUTER JOIN (SELECT 1 AS present, * FROM alerts FINAL) AS a ON a.rule = c.rule AND a.subject = c.subject
WHERE (c.present = 1 AND a.present = 0)
  OR (c.present = 1 AND a.state = 'resolved' AND a.suppressed = 0)
  OR (c.present = 0 AND a.present = 1 AND a.state != 'resolved')
  OR (c.present = 0 AND a.present = 1 AND a.state = 'resolved' AND a.suppressed = 1)
  OR (c.present = 1 AND a.present = 1 AND a.state != 'resolved' AND (
    c.county_code != a.county_code OR c.unit_code != a.unit_code OR c.owner_code != a.owner_code OR c.severity != a.severity
    OR c.title != a.title OR c.name_masked != a.name_masked OR c.detail != a.detail OR c.breached_at != a.breached_at
    OR (a.level != 'province'
      AND (a.state = 'open' OR {ackEscalates:UInt8} = 1)
      AND now_ >= a.opened_at + toIntervalMinute(multiIf(
        a.level = 'county', {escCounty:Array(UInt32)}[indexOf({escRules:Array(String)}, a.rule)],
        a.owner_level = 'county', {escCounty:Array(UInt32)}[indexOf({escRules:Array(String)}, a.rule)] + {escUnit:Array(UInt32)}[indexOf({escRules:Array(String)}, a.rule)],
        {escUnit:Array(UInt32)}[indexOf({escRules:Array(String)}, a.rule)])))))
