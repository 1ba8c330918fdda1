-- purpose: accounts, sessions, wall-screen tokens and the append-only audit log
CREATE TABLE IF NOT EXISTS users (
  username String,
  password_hash String,
  role LowCardinality(String),
  region_code String,
  display_name String,
  disabled Bool,
  failed_logins UInt16,
  locked_until Nullable(DateTime64(3, 'UTC')),
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY username;

CREATE TABLE IF NOT EXISTS sessions (
  token_hash String,
  username String,
  csrf String,
  ip String,
  created_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  revoked Bool,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_hash;

CREATE TABLE IF NOT EXISTS screen_tokens (
  token_hash String,
  id String,
  label String,
  region_code String,
  created_by String,
  created_at DateTime64(3, 'UTC'),
  revoked Bool,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_hash;

CREATE TABLE IF NOT EXISTS audit_log (
  ts DateTime64(3, 'UTC'),
  username String,
  role LowCardinality(String),
  ip String,
  action LowCardinality(String),
  target String,
  detail String,
  ok Bool
) ENGINE = MergeTree
ORDER BY ts;
