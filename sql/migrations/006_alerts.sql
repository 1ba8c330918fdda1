-- purpose: overdue alerts (state per rule and subject, versioned; append-only history), per-evaluation conditions, notification channels, outbox and delivery log, dispatch orders (督办)
CREATE TABLE IF NOT EXISTS alerts (
  alert_id String,
  rule LowCardinality(String),
  subject String,
  subject_kind LowCardinality(String),
  county_code String,
  unit_code String,
  owner_code String,
  owner_level LowCardinality(String),
  level LowCardinality(String),
  severity LowCardinality(String),
  state LowCardinality(String),
  title String,
  name_masked String,
  detail String,
  breached_at DateTime('Asia/Shanghai'),
  opened_at DateTime('Asia/Shanghai'),
  first_opened_at DateTime('Asia/Shanghai'),
  due_at Nullable(DateTime('Asia/Shanghai')),
  escalated_at Nullable(DateTime('Asia/Shanghai')),
  ack_by String,
  ack_note String,
  ack_at Nullable(DateTime('Asia/Shanghai')),
  resolved_at Nullable(DateTime('Asia/Shanghai')),
  resolved_by String,
  resolve_reason String,
  suppressed UInt8,
  reopen_count UInt32,
  notified Array(LowCardinality(String)),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (rule, subject);

CREATE TABLE IF NOT EXISTS alert_events (
  ts DateTime('Asia/Shanghai'),
  recorded_at DateTime64(3, 'UTC'),
  alert_id String,
  rule LowCardinality(String),
  event LowCardinality(String),
  actor String,
  level LowCardinality(String),
  state LowCardinality(String),
  note String
) ENGINE = MergeTree
ORDER BY (alert_id, ts, recorded_at);

CREATE TABLE IF NOT EXISTS alert_conditions (
  eval_id UInt64,
  rule LowCardinality(String),
  subject String,
  subject_kind LowCardinality(String),
  county_code String,
  unit_code String,
  owner_code String,
  owner_level LowCardinality(String),
  severity LowCardinality(String),
  title String,
  name_masked String,
  detail String,
  breached_at DateTime('Asia/Shanghai')
) ENGINE = MergeTree
PARTITION BY eval_id
ORDER BY (rule, subject);

CREATE TABLE IF NOT EXISTS alert_evals (
  eval_id UInt64,
  now DateTime('Asia/Shanghai'),
  persisted UInt8,
  started_at DateTime64(3, 'UTC'),
  finished_at DateTime64(3, 'UTC'),
  opened UInt32,
  reopened UInt32,
  resolved UInt32,
  escalated UInt32,
  open_total UInt32
) ENGINE = MergeTree
ORDER BY eval_id;

CREATE TABLE IF NOT EXISTS alert_channels (
  channel_id String,
  region_code String,
  kind LowCardinality(String),
  target String,
  secret String,
  enabled Bool,
  deleted Bool,
  updated_by String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY channel_id;

CREATE TABLE IF NOT EXISTS alert_outbox (
  notice_id String,
  channel_id String,
  region_code String,
  kind LowCardinality(String),
  rule String,
  notice String,
  status LowCardinality(String),
  attempts UInt16,
  created_at DateTime64(3, 'UTC'),
  send_after DateTime64(3, 'UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (notice_id, channel_id);

CREATE TABLE IF NOT EXISTS alert_deliveries (
  ts DateTime64(3, 'UTC'),
  notice_id String,
  channel_id String,
  channel_kind LowCardinality(String),
  target String,
  region_code String,
  kind LowCardinality(String),
  rule String,
  attempt UInt16,
  status LowCardinality(String),
  http_status UInt16,
  error String,
  payload String
) ENGINE = MergeTree
ORDER BY ts;

CREATE TABLE IF NOT EXISTS dispatch_orders (
  order_id String,
  county_code String,
  unit_code String,
  issuer String,
  issuer_role LowCardinality(String),
  issuer_region String,
  rule String,
  alert_id String,
  metric String,
  title String,
  content String,
  due_date Date,
  status LowCardinality(String),
  level LowCardinality(String),
  notified Array(LowCardinality(String)),
  created_at DateTime('Asia/Shanghai'),
  updated_at DateTime('Asia/Shanghai'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY order_id;

CREATE TABLE IF NOT EXISTS dispatch_events (
  order_id String,
  ts DateTime('Asia/Shanghai'),
  recorded_at DateTime64(3, 'UTC'),
  actor String,
  role LowCardinality(String),
  event LowCardinality(String),
  status LowCardinality(String),
  text String
) ENGINE = MergeTree
ORDER BY (order_id, recorded_at);
