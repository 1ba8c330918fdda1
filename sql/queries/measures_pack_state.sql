-- purpose: the rows of measure_days: every count's day deltas of kinds 5–8 per region and day, packed in the order of {keys} (MEASURE_DELTA_KEYS), with centre_1311 from the kept person state
SELECT level, code, day, sumForEach(arrayMap(k -> if(k = key, v, toInt64(0)), {keys:Array(String)})) AS vec
FROM (
  SELECT level, code, day, key, sum(v) AS v
  FROM (SELECT level, code, day, key, v FROM (/*measures_deltas*/) UNION ALL SELECT level, code, day, key, v FROM (/*measures_completed_state*/))
  GROUP BY level, code, day, key
)
GROUP BY level, code, day
