-- purpose: the care day deltas summed per region, metric part and day up to {to} (the service adds them up into each day's value)
SELECT p.1 AS level, p.2 AS code, k, toString(day) AS day, sum(n) AS n
FROM (SELECT region, k, day, sum(n) AS n FROM care_days WHERE day <= {to:Date} GROUP BY region, k, day) AS c
INNER JOIN (/*care_paths*/) AS paths ON paths.region = c.region
ARRAY JOIN paths.path AS p
GROUP BY level, code, k, day
ORDER BY day
