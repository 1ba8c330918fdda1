-- purpose: the liaison directory (附件3): each reporting unit's liaison, kept by admins; default alert recipients
CREATE TABLE IF NOT EXISTS liaisons (
  region_code String,
  name String,
  title String,
  phone String,
  mobile String,
  email String,
  wecom_webhook String,
  dingtalk_webhook String,
  dingtalk_secret String,
  feishu_webhook String,
  generic_webhook String,
  updated_by String,
  deleted Bool,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY region_code;
