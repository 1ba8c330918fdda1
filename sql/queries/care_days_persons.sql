-- purpose: day deltas per county of the hardship persons' plan metrics, from person_spans (the person's county, hardship and employment as of each day) and the care state (care_marks, care_overdue): credited where the person belongs, as services are
WITH toDate('2149-06-06') AS never
SELECT region, x.1 AS day, x.2 AS k, sum(x.3) AS n
FROM (
  SELECT s.county AS region, s.d0 AS d0, s.d1 AS d1, m.p_day AS p_day, m.v_day AS v_day
  FROM person_spans AS s
  INNER JOIN care_marks AS m ON m.person_key = s.person_key
  WHERE s.hs
)
ARRAY JOIN arrayConcat(
  if(p_day < d1, arrayConcat([(greatest(d0, p_day), 'plan', toInt64(1))], if(d1 < never, [(d1, 'plan', toInt64(-1))], [])), []),
  if(v_day < d1, arrayConcat([(greatest(d0, v_day), 'visited', toInt64(1))], if(d1 < never, [(d1, 'visited', toInt64(-1))], [])), [])
) AS x
GROUP BY region, day, k
UNION ALL
SELECT region, x.1 AS day, x.2 AS k, sum(x.3) AS n
FROM (
  SELECT s.county AS region, greatest(s.d0, o.a) AS st, least(s.d1, o.b) AS en
  FROM person_spans AS s
  INNER JOIN care_overdue AS o ON o.person_key = s.person_key
  WHERE s.hs AND NOT s.emp AND greatest(s.d0, o.a) < least(s.d1, o.b)
)
ARRAY JOIN arrayConcat([(st, 'overdue', toInt64(1))], if(en < never, [(en, 'overdue', toInt64(-1))], [])) AS x
GROUP BY region, day, k
