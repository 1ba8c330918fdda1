-- purpose: metric snapshots, one row per region and day, written by the refresh job and stamped with the data they saw
CREATE TABLE IF NOT EXISTS metric_snapshots (
  as_of Date,
  level LowCardinality(String),
  code String,
  received UInt32,
  pending UInt32,
  contacted UInt32,
  intent UInt32,
  completed1311 UInt32,
  employed UInt32,
  hardship UInt32,
  hardship_o2o UInt32,
  hardship_employed UInt32,
  help_requests UInt32,
  help_in_sla UInt32,
  help_overdue UInt32,
  data_version UInt64,
  ledger_time Nullable(DateTime('Asia/Shanghai')),
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (level, code, as_of);
