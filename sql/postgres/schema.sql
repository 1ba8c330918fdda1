-- purpose: the ledger contract's files as plain PostgreSQL tables (same columns as the CSVs, plus the load order), for the benchmark's PostgreSQL baseline
DROP TABLE IF EXISTS pg_ledger, pg_service, pg_help, pg_regions;
-- seq is the load order: among versions with the same 更新时间 the later-loaded one wins, as in ClickHouse's `version`.
CREATE UNLOGGED TABLE pg_ledger (
  seq bigserial, id_number text, name text, gender text, phone text, school text, major text, education text,
  graduation_year int, cohort text, source text, received_date date, county_code text, assigned_date date, category text,
  hardship text, employment_status text, employment_date date, updated_at timestamp
);
CREATE UNLOGGED TABLE pg_service (
  seq bigserial, record_id text, id_number text, service_time timestamp, service_type text, contact_method text,
  contact_result text, county_code text, staff text, note text
);
CREATE UNLOGGED TABLE pg_help (
  seq bigserial, request_id text, id_number text, name text, requested_at timestamp, county_code text, first_contact_at timestamp
);
CREATE UNLOGGED TABLE pg_regions (code text, level text, parent_code text);
