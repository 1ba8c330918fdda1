-- purpose: the training centres of a region's counties opened by a day (latest version of each), with residents, exits by channel and allowance as of that day; paged, with the total
SELECT c.centre_id AS id, c.name AS name, c.county AS county, toString(c.opened) AS opened, c.capacity AS capacity,
  toUInt32(ifNull(s.entrants, 0)) AS entrants, toUInt32(ifNull(s.resident, 0)) AS resident, toUInt32(ifNull(s.exits, 0)) AS exits,
  if(empty(s.by_channel), arrayMap(x -> toUInt64(0), {exitChannels:Array(String)}), s.by_channel) AS exits_by_channel,
  toString(ifNull(s.allowance, toDecimal128(0, 2))) AS allowance, count() OVER () AS total
FROM (
  SELECT centre_id, ct.1 AS name, ct.2 AS county, ct.3 AS opened, ct.4 AS capacity
  FROM (SELECT centre_id, argMax(tuple(name, county_code, opened_date, capacity), version) AS ct FROM centre_raw GROUP BY centre_id)
  WHERE county IN {codes:Array(String)} AND opened <= {asOf:Date}
) AS c
LEFT JOIN (
  SELECT centre_id,
    uniqExactIf(person_key, entered <= {asOf:Date}) AS entrants,
    uniqExactIf(person_key, entered <= {asOf:Date} AND (exit_date IS NULL OR exit_date > {asOf:Date})) AS resident,
    countIf(exit_date IS NOT NULL AND exit_date <= {asOf:Date}) AS exits,
    sumForEach(arrayMap(ch -> toUInt64(exit_date IS NOT NULL AND exit_date <= {asOf:Date} AND channel = ch), {exitChannels:Array(String)})) AS by_channel,
    sumIf(toDecimal128(ifNull(allowance, toDecimal64(0, 2)), 2), entered <= {asOf:Date}) AS allowance
  FROM (/*measures_latest_stays*/)
  GROUP BY centre_id
) AS s ON s.centre_id = c.centre_id
ORDER BY c.county, c.centre_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
