-- purpose: raw tables of kinds 9–12 (help plans, rights cases, 亮相 publications, 典型 stories) with their per-run staging twins, and kind 4's new 专项活动 column
ALTER TABLE event_raw ADD COLUMN IF NOT EXISTS campaign LowCardinality(String) DEFAULT '';

ALTER TABLE stage_event ADD COLUMN IF NOT EXISTS campaign LowCardinality(String) DEFAULT '';

CREATE TABLE IF NOT EXISTS plan_raw (
  person_key UUID,
  plan_id String,
  id_masked String,
  id_enc String,
  specialist String,
  plan_date Date,
  measures Array(LowCardinality(String)),
  visit_days Nullable(UInt8),
  status LowCardinality(String),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (person_key, plan_id, version);

CREATE TABLE IF NOT EXISTS rights_raw (
  case_id String,
  region_code LowCardinality(String),
  unit_code LowCardinality(String),
  case_type LowCardinality(String),
  party String,
  party_kind LowCardinality(String),
  opened_date Date,
  action LowCardinality(String),
  deadline Nullable(Date),
  closed_date Nullable(Date),
  graduates UInt32,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (unit_code, case_id, version);

CREATE TABLE IF NOT EXISTS publicity_raw (
  publication_id String,
  region_code LowCardinality(String),
  unit_code LowCardinality(String),
  published_date Date,
  items Array(LowCardinality(String)),
  channel String,
  url String,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (unit_code, publication_id, version);

CREATE TABLE IF NOT EXISTS story_raw (
  story_id String,
  region_code LowCardinality(String),
  unit_code LowCardinality(String),
  person_key Nullable(UUID),
  id_masked String,
  id_enc String,
  story_type LowCardinality(String),
  media Array(LowCardinality(String)),
  published_date Date,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (unit_code, story_id, version);

CREATE TABLE IF NOT EXISTS stage_plan AS plan_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (person_key, plan_id, version);

CREATE TABLE IF NOT EXISTS stage_rights AS rights_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (unit_code, case_id, version);

CREATE TABLE IF NOT EXISTS stage_publicity AS publicity_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (unit_code, publication_id, version);

CREATE TABLE IF NOT EXISTS stage_story AS story_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (unit_code, story_id, version);
