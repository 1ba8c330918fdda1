-- purpose: scratch table of the metric state sync: service-record versions that are not their record's latest (rewritten by every sync)
CREATE TABLE IF NOT EXISTS service_superseded (
  record_id String,
  version UInt64
) ENGINE = MergeTree
ORDER BY (record_id, version);
