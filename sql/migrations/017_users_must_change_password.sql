-- purpose: accounts created with a one-time initial password (bulk import) must change it at first sign-in
ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change_password UInt8 DEFAULT 0;
