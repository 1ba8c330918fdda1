-- purpose: raw ledger tables keeping every accepted version with provenance, per-run staging, runs, files and rejects
CREATE TABLE IF NOT EXISTS ingest_runs (
  run_id UInt64,
  source LowCardinality(String),
  label String,
  status LowCardinality(String),
  started_at DateTime64(3, 'UTC'),
  finished_at Nullable(DateTime64(3, 'UTC')),
  rows_read UInt64,
  accepted UInt64,
  rejected UInt64,
  warnings UInt64,
  duplicates UInt64,
  error String,
  detail String,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY run_id;

CREATE TABLE IF NOT EXISTS ingest_files (
  content_hash String,
  file String,
  run_id UInt64,
  loaded_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY content_hash;

CREATE TABLE IF NOT EXISTS ingest_rejects (
  run_id UInt64,
  file String,
  sheet String,
  row UInt32,
  kind LowCardinality(String),
  reason String,
  raw_masked String,
  raw_enc String
) ENGINE = MergeTree
ORDER BY (run_id, file, sheet, row);

CREATE TABLE IF NOT EXISTS ingest_warnings (
  run_id UInt64,
  file String,
  row UInt32,
  kind LowCardinality(String),
  warning String
) ENGINE = MergeTree
ORDER BY (run_id, file, row);

CREATE TABLE IF NOT EXISTS source_watermarks (
  source String,
  kind LowCardinality(String),
  watermark String,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (source, kind);

CREATE TABLE IF NOT EXISTS ledger_raw (
  person_key UUID,
  id_masked String,
  id_enc String,
  name_masked String,
  name_enc String,
  phone_masked String,
  phone_enc String,
  gender LowCardinality(String),
  school String,
  major String,
  education LowCardinality(String),
  graduation_year UInt16,
  cohort LowCardinality(String),
  source LowCardinality(String),
  received_date Date,
  county_code LowCardinality(String),
  assigned_date Nullable(Date),
  category LowCardinality(String),
  hardship Array(LowCardinality(String)),
  employment_status LowCardinality(String),
  employment_date Nullable(Date),
  updated_at DateTime('Asia/Shanghai'),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (person_key, updated_at, version);

CREATE TABLE IF NOT EXISTS service_raw (
  person_key UUID,
  record_id String,
  service_time DateTime('Asia/Shanghai'),
  service_type LowCardinality(String),
  contact_method LowCardinality(String),
  contact_result LowCardinality(String),
  county_code LowCardinality(String),
  staff String,
  note String,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (person_key, record_id, version);

CREATE TABLE IF NOT EXISTS help_raw (
  person_key UUID,
  request_id String,
  id_masked String,
  id_enc String,
  name_masked String,
  requested_at DateTime('Asia/Shanghai'),
  county_code LowCardinality(String),
  first_contact_at Nullable(DateTime('Asia/Shanghai')),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (county_code, request_id, version);

CREATE TABLE IF NOT EXISTS event_raw (
  event_id String,
  region_code LowCardinality(String),
  unit_code LowCardinality(String),
  name String,
  event_type LowCardinality(String),
  mode LowCardinality(String),
  event_date Date,
  jobs Nullable(UInt32),
  attendees Nullable(UInt32),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (unit_code, event_id, version);

CREATE TABLE IF NOT EXISTS stage_ledger AS ledger_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (person_key, updated_at, version);

CREATE TABLE IF NOT EXISTS stage_service AS service_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (person_key, record_id, version);

CREATE TABLE IF NOT EXISTS stage_help AS help_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (county_code, request_id, version);

CREATE TABLE IF NOT EXISTS stage_event AS event_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (unit_code, event_id, version);
