-- purpose: every metric count for every region (county-level units, units, province) as of the end of one day on PostgreSQL — the same definitions as sql/queries/metrics_as_of.sql, written the way a PostgreSQL shop would
-- $1 as-of day, $2 帮扶类别 of job-seekers, $3 employed statuses, $4/$5 the 1311 rule (types, minimum counts, aligned),
-- $6 the contact service type, $7 its "contacted" result, $8 the one-on-one type, $9 the help SLA in minutes.
WITH
  p AS (SELECT $1::date AS d, $1::date + time '23:59:59' AS eod),
  -- a person's state: the latest ledger version by 更新时间 up to the end of the day (ties: the later-loaded row)
  st AS (
    SELECT DISTINCT ON (l.id_number) l.id_number, l.county_code AS county, l.received_date, l.category, l.hardship, l.employment_status
    FROM pg_ledger l, p
    WHERE l.updated_at <= p.eod
    ORDER BY l.id_number, l.updated_at DESC, l.seq DESC
  ),
  persons AS (
    SELECT st.id_number, st.county, st.category = $2 AS intent, coalesce(st.hardship, '') <> '' AS hs,
      coalesce(st.employment_status = ANY ($3::text[]), false) AS emp
    FROM st, p
    WHERE st.received_date <= p.d
  ),
  -- services: the latest version of every record, up to the end of the day
  sv AS (
    SELECT * FROM (
      SELECT DISTINCT ON (record_id) id_number, service_time, service_type, contact_result FROM pg_service ORDER BY record_id, seq DESC
    ) x, p
    WHERE x.service_time <= p.eod
  ),
  per_type AS (
    SELECT id_number, service_type, count(*) AS n, bool_or(service_type <> $6 OR contact_result = $7) AS contact
    FROM sv GROUP BY id_number, service_type
  ),
  rule AS (SELECT t, m FROM unnest($4::text[], $5::int[]) AS u(t, m)),
  per_person AS (
    SELECT pt.id_number,
      bool_or(pt.contact) AS contacted,
      bool_or(pt.service_type = $8) AS o2o,
      count(*) FILTER (WHERE pt.n >= r.m) = (SELECT count(*) FROM rule) AS complete
    FROM per_type pt LEFT JOIN rule r ON r.t = pt.service_type
    GROUP BY pt.id_number
  ),
  person_counts AS (
    SELECT pe.county,
      count(*) AS received, count(*) FILTER (WHERE pe.county = '') AS pending,
      count(*) FILTER (WHERE coalesce(pp.contacted, false)) AS contacted, count(*) FILTER (WHERE pe.intent) AS intent,
      count(*) FILTER (WHERE pe.intent AND coalesce(pp.complete, false)) AS completed, count(*) FILTER (WHERE pe.emp) AS employed,
      count(*) FILTER (WHERE pe.hs) AS hardship, count(*) FILTER (WHERE pe.hs AND coalesce(pp.o2o, false)) AS o2o,
      count(*) FILTER (WHERE pe.hs AND pe.emp) AS hardship_employed,
      0::bigint AS help, 0::bigint AS help_sla, 0::bigint AS help_overdue
    FROM persons pe LEFT JOIN per_person pp ON pp.id_number = pe.id_number
    GROUP BY pe.county
  ),
  hr AS (
    SELECT DISTINCT ON (request_id) county_code AS county, requested_at AS rq, first_contact_at AS fc FROM pg_help ORDER BY request_id, seq DESC
  ),
  help_counts AS (
    SELECT hr.county, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint,
      count(*) FILTER (WHERE rq <= p.eod) AS help,
      count(*) FILTER (WHERE rq <= p.eod AND fc IS NOT NULL AND fc <= p.eod AND fc <= rq + make_interval(mins => $9)) AS help_sla,
      count(*) FILTER (WHERE rq + make_interval(mins => $9) <= p.eod AND NOT coalesce(fc <= rq + make_interval(mins => $9), false)) AS help_overdue
    FROM hr, p GROUP BY hr.county
  ),
  paths AS (
    SELECT code AS county, 'county' AS level, code FROM pg_regions WHERE level = 'county'
    UNION ALL SELECT code, 'unit', parent_code FROM pg_regions WHERE level = 'county'
    UNION ALL SELECT code, 'province', '220000' FROM pg_regions WHERE level = 'county'
    UNION ALL SELECT '', 'province', '220000'
  )
SELECT pa.level, pa.code,
  sum(c.received)::int AS received, sum(c.pending)::int AS pending, sum(c.contacted)::int AS contacted, sum(c.intent)::int AS intent,
  sum(c.completed)::int AS completed1311, sum(c.employed)::int AS employed, sum(c.hardship)::int AS hardship,
  sum(c.o2o)::int AS hardship_o2o, sum(c.hardship_employed)::int AS hardship_employed, sum(c.help)::int AS help_requests,
  sum(c.help_sla)::int AS help_in_sla, sum(c.help_overdue)::int AS help_overdue
FROM (SELECT * FROM person_counts UNION ALL SELECT * FROM help_counts) c
JOIN paths pa ON pa.county = c.county
GROUP BY pa.level, pa.code
ORDER BY pa.level, pa.code;
