-- purpose: per-person metric state kept by the refresh job (day spans with milestones, help-request day deltas), rebuilt only for persons touched by new runs, so snapshots need no pass over every service record
-- One row per person and span of days over which the person's ledger state is constant: counted from d0 (≥ 接收日期)
-- up to the day before d1 (2149-06-06 = still open). c_day / k_day / o_day: the first day the person has a contact,
-- has completed 1311, has had a one-on-one service (2149-06-06 = not yet), from the latest version of every service record.
CREATE TABLE IF NOT EXISTS person_spans (
  person_key UUID,
  county LowCardinality(String),
  d0 Date,
  d1 Date,
  intent Bool,
  hs Bool,
  emp Bool,
  c_day Date,
  k_day Date,
  o_day Date
) ENGINE = MergeTree
ORDER BY (person_key, d0);

-- Help requests as day deltas per county: h on the request's day, s on the day it was contacted within the SLA,
-- o on the day its SLA ran out uncontacted (latest version per 求助编号).
CREATE TABLE IF NOT EXISTS help_days (
  county LowCardinality(String),
  day Date,
  h UInt32,
  s UInt32,
  o UInt32
) ENGINE = MergeTree
ORDER BY (county, day);

-- The persons a sync rebuilds (scratch, rewritten by every sync).
CREATE TABLE IF NOT EXISTS person_touched (
  person_key UUID
) ENGINE = MergeTree
ORDER BY person_key;

-- What the state above was built from: the load runs folded in and the campaign rules it used.
CREATE TABLE IF NOT EXISTS metrics_state (
  name String,
  runs Array(UInt64),
  rules String,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name;
