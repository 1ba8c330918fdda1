-- purpose: the report archive: one row per report and period with the XLSX itself; re-generating a period replaces its row
CREATE TABLE IF NOT EXISTS report_archive (
  report_id String,
  kind LowCardinality(String),
  period String,
  period_start Date,
  period_end Date,
  as_of Date,
  region_code String,
  title String,
  file_name String,
  generated_at DateTime64(3, 'UTC'),
  generated_by String,
  unit_rows UInt32,
  data_rows UInt32,
  bytes UInt32,
  xlsx_base64 String
) ENGINE = ReplacingMergeTree(generated_at)
ORDER BY report_id;
