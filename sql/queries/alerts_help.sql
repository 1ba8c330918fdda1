-- purpose: help_request_overdue conditions as of an instant: requests (latest version of each) whose first-contact deadline (求助时间 + SLA) has passed and that have no first contact recorded by now; names masked only
WITH {now:DateTime('Asia/Shanghai')} AS now_
SELECT
  {evalId:UInt64} AS eval_id,
  'help_request_overdue' AS rule,
  h.request_id AS subject,
  'help_request' AS subject_kind,
  h.county AS county_code,
  multiIf(h.county = '220581', '220581', startsWith(h.county, '2299'), '229900', concat(substring(h.county, 1, 4), '00')) AS unit_code,
  h.county AS owner_code,
  'county' AS owner_level,
  {severity:String} AS severity,
  {title:String} AS title,
  if(h.name_masked != '', h.name_masked, ifNull(l.ledger_name, '')) AS name_masked,
  toJSONString(map('requestedAt', toString(h.rq), 'due', toString(h.rq + toIntervalMinute({slaMinutes:UInt32})))) AS detail,
  h.rq + toIntervalMinute({slaMinutes:UInt32}) AS breached_at
FROM (
  -- one argMax over a tuple: argMax over the Nullable first_contact_at alone would skip a later version that cleared it
  SELECT request_id, t.1 AS county, t.2 AS rq, t.3 AS fc, t.4 AS name_masked, t.5 AS person_key
  FROM (
    SELECT request_id, argMax(tuple(county_code, requested_at, first_contact_at, name_masked, person_key), version) AS t
    FROM help_raw
    GROUP BY request_id
  )
) AS h
LEFT JOIN (
  SELECT person_key, argMax(name_masked, (updated_at, version)) AS ledger_name
  FROM ledger_raw
  WHERE person_key IN (SELECT person_key FROM help_raw) AND updated_at <= now_
  GROUP BY person_key
) AS l ON l.person_key = h.person_key
WHERE h.rq + toIntervalMinute({slaMinutes:UInt32}) <= now_
  AND NOT ifNull(h.fc <= now_, 0)
