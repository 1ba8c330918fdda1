-- purpose: the stays (latest version of each, centre loaded) in a region's counties entered by a day, with the person masked (ID as stored, name from the ledger); paged, with the total
SELECT s.stay_id AS id, s.id_masked AS id_masked, ifNull(l.name_masked, '') AS name, s.centre_id AS centre_id, ifNull(c.name, '') AS centre_name, s.county AS county,
  toString(s.entered) AS entered, if(s.exit_date IS NOT NULL AND s.exit_date <= {asOf:Date}, toString(assumeNotNull(s.exit_date)), '') AS exit_date,
  if(s.exit_date IS NOT NULL AND s.exit_date <= {asOf:Date}, s.channel, '') AS exit_channel, toString(ifNull(s.allowance, toDecimal64(0, 2))) AS allowance,
  count() OVER () AS total
FROM (
  SELECT ls.*, r.id_masked AS id_masked
  FROM (/*measures_latest_stays*/) AS ls
  INNER JOIN (SELECT stay_id, argMax(id_masked, version) AS id_masked FROM stay_raw GROUP BY stay_id) AS r ON r.stay_id = ls.stay_id
  WHERE ls.county IN {codes:Array(String)} AND ls.entered <= {asOf:Date}
) AS s
LEFT JOIN (SELECT centre_id, argMax(name, version) AS name FROM centre_raw GROUP BY centre_id) AS c ON c.centre_id = s.centre_id
LEFT JOIN (
  SELECT person_key, argMax(name_masked, (updated_at, version)) AS name_masked FROM ledger_raw
  WHERE person_key IN (SELECT person_key FROM stay_raw) GROUP BY person_key
) AS l ON l.person_key = s.person_key
ORDER BY s.county, s.entered, s.stay_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
