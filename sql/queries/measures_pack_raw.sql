-- purpose: the day deltas of kinds 5–8 per region and day straight from the raw tables (the live path), packed as measure_days is, up to {to}
SELECT level, code, day, sumForEach(arrayMap(k -> if(k = key, v, toInt64(0)), {keys:Array(String)})) AS vec
FROM (
  SELECT level, code, day, key, sum(v) AS v
  FROM (SELECT level, code, day, key, v FROM (/*measures_deltas*/) UNION ALL SELECT level, code, day, key, v FROM (/*measures_completed_raw*/))
  WHERE day <= {to:Date}
  GROUP BY level, code, day, key
)
GROUP BY level, code, day
ORDER BY day
