-- purpose: every care metric part for every region as of the end of one day, from the kept day deltas (care_days)
SELECT p.1 AS level, p.2 AS code, k, sum(n) AS n
FROM (SELECT region, k, sum(n) AS n FROM care_days WHERE day <= {asOf:Date} GROUP BY region, k) AS c
INNER JOIN (/*care_paths*/) AS paths ON paths.region = c.region
ARRAY JOIN paths.path AS p
GROUP BY level, code, k
