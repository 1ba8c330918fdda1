-- purpose: the kept metric state of kinds 9–12 (plan and visit milestones, overdue intervals, day deltas per region code) and its snapshots, rebuilt by the refresh beside person_spans
-- Per hardship person: the first day with a plan (制定日期) and with a 跟踪回访 visit (2149-06-06 = none), from the latest versions.
CREATE TABLE IF NOT EXISTS care_marks (
  person_key UUID,
  p_day Date,
  v_day Date
) ENGINE = MergeTree
ORDER BY person_key;

-- Per person: the day intervals [a, b) on which the current plan is 执行中 and its return visit is overdue (b = 2149-06-06: still open).
CREATE TABLE IF NOT EXISTS care_overdue (
  person_key UUID,
  a Date,
  b Date
) ENGINE = MergeTree
ORDER BY (person_key, a);

-- Day deltas per region code (a county-level code, a reporting unit's own code, or '' = the province's undistributed persons) and metric part.
CREATE TABLE IF NOT EXISTS care_days (
  region LowCardinality(String),
  day Date,
  k LowCardinality(String),
  n Int64
) ENGINE = MergeTree
ORDER BY (region, k, day);

-- One row per region and day: the counts of kinds 9–12 by metric part, stamped with the data they saw.
CREATE TABLE IF NOT EXISTS care_snapshots (
  as_of Date,
  level LowCardinality(String),
  code String,
  counts Map(LowCardinality(String), Int64),
  data_version UInt64,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (level, code, as_of);
