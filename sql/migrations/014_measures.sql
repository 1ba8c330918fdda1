-- purpose: kinds 5–8 (training centres, stays, job posts, policy delivery): raw tables with every version, their staging twins, the per-region day deltas the refresh keeps, and their snapshot columns
CREATE TABLE IF NOT EXISTS centre_raw (
  centre_id String,
  name String,
  county_code LowCardinality(String),
  opened_date Date,
  capacity Nullable(UInt32),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (centre_id, version);

CREATE TABLE IF NOT EXISTS stay_raw (
  person_key UUID,
  stay_id String,
  id_masked String,
  id_enc String,
  centre_id String,
  entered_date Date,
  allowance Nullable(Decimal(18, 2)),
  exit_date Nullable(Date),
  exit_channel LowCardinality(String),
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (stay_id, version);

CREATE TABLE IF NOT EXISTS post_raw (
  post_id String,
  region_code LowCardinality(String),
  unit_code LowCardinality(String),
  post_source LowCardinality(String),
  employer String,
  title String,
  developed_date Date,
  openings UInt32,
  published_date Nullable(Date),
  hired UInt32,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (post_id, version);

CREATE TABLE IF NOT EXISTS grant_raw (
  person_key UUID,
  grant_id String,
  id_masked String,
  id_enc String,
  policy LowCardinality(String),
  amount Decimal(18, 2),
  applied_date Date,
  granted_date Nullable(Date),
  channel LowCardinality(String),
  county_code LowCardinality(String),
  employer String,
  run_id UInt64,
  file String,
  row UInt32,
  version UInt64,
  row_hash UInt64
) ENGINE = MergeTree
ORDER BY (grant_id, version);

CREATE TABLE IF NOT EXISTS stage_centre AS centre_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (centre_id, version);

CREATE TABLE IF NOT EXISTS stage_stay AS stay_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (stay_id, version);

CREATE TABLE IF NOT EXISTS stage_post AS post_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (post_id, version);

CREATE TABLE IF NOT EXISTS stage_grant AS grant_raw ENGINE = MergeTree PARTITION BY run_id ORDER BY (grant_id, version);

-- Day deltas per region (every level: distinct-person counts need the person's own first day in each region),
-- rebuilt whole by the refresh from the latest version of every record: vec[i] is the change on `day` of the i-th
-- count of MEASURE_DELTA_KEYS (measures.types.ts); money in cents (exact).
CREATE TABLE IF NOT EXISTS measure_days (
  level LowCardinality(String),
  code String,
  day Date,
  vec Array(Int64)
) ENGINE = MergeTree
ORDER BY (level, code, day);

ALTER TABLE metric_snapshots
  ADD COLUMN IF NOT EXISTS centres UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS county_units UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS county_centres UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_entrants UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_resident UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exits UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exit_0 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exit_1 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exit_2 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exit_3 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_exit_4 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_1311 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centre_allowance_cents Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_developed UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_0 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_1 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_2 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_3 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_4 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_5 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_src_6 UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_published UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS posts_hired UInt64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_granted UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_persons UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_amount_cents Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_pending UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_ch_0 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_ch_1 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_ch_2 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_0 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_1 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_2 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_3 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_4 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_5 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_6 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_7 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_n_8 UInt32 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_0 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_1 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_2 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_3 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_4 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_5 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_6 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_7 Int64 DEFAULT 0,
  ADD COLUMN IF NOT EXISTS policy_cents_8 Int64 DEFAULT 0;
