-- purpose: help requests (latest version of each) in the given counties still waiting for a first contact at a cut-off moment, with masked names only (the request's, else the person's latest ledger row's)
WITH toDateTime({cutoff:String}, 'Asia/Shanghai') AS cut
SELECT h.request_id AS request_id, h.county_code AS county_code, toString(h.requested_at) AS requested_at,
  if(h.name_masked != '', h.name_masked, l.ledger_name) AS name_masked,
  dateDiff('second', h.requested_at, cut) AS seconds_waiting
FROM (
  SELECT request_id, t.1 AS county_code, t.2 AS requested_at, t.3 AS first_contact_at, t.4 AS name_masked, t.5 AS person_key
  FROM (
    -- one argMax over a tuple, as in metrics_as_of.sql: a later version that clears the contact time must win
    SELECT request_id, argMax(tuple(county_code, requested_at, first_contact_at, name_masked, person_key), version) AS t
    FROM help_raw
    GROUP BY request_id
  )
) AS h
LEFT JOIN (
  SELECT person_key, argMax(name_masked, (updated_at, version)) AS ledger_name
  FROM ledger_raw
  WHERE person_key IN (SELECT person_key FROM help_raw)
  GROUP BY person_key
) AS l ON l.person_key = h.person_key
WHERE h.requested_at <= cut
  AND NOT ifNull(h.first_contact_at <= cut, 0)
  AND has({counties:Array(String)}, h.county_code)
ORDER BY county_code, requested_at, request_id
