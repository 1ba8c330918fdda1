-- purpose: the reporting tree (province, 11 units, 72 county-level units), rewritten from code at start when it differs
CREATE TABLE IF NOT EXISTS regions (
  code String,
  name String,
  level LowCardinality(String),
  parent_code Nullable(String),
  has_polygon Bool
) ENGINE = MergeTree
ORDER BY (level, code);
