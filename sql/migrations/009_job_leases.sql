-- purpose: the scheduled-jobs lease: of several app instances on one ClickHouse, only the holder of an unexpired lease runs the jobs
CREATE TABLE IF NOT EXISTS job_leases (
  name String,
  holder String,
  expires DateTime64(3, 'UTC'),
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name;
