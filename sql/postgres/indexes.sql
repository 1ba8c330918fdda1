-- purpose: after the COPY: the product's load-time normalisations, and the indexes a careful PostgreSQL setup would give the as-of query
-- 公主岭's old code counts under 220184 (regions.md), as the product's loader records it.
UPDATE pg_ledger SET county_code = '220184' WHERE county_code = '220381';
UPDATE pg_service SET county_code = '220184' WHERE county_code = '220381';
UPDATE pg_help SET county_code = '220184' WHERE county_code = '220381';
UPDATE pg_ledger SET county_code = '' WHERE county_code IS NULL;
CREATE INDEX pg_ledger_state ON pg_ledger (id_number, updated_at DESC, seq DESC);
CREATE INDEX pg_service_latest ON pg_service (record_id, seq DESC);
CREATE INDEX pg_help_latest ON pg_help (request_id, seq DESC);
VACUUM ANALYZE pg_ledger;
VACUUM ANALYZE pg_service;
VACUUM ANALYZE pg_help;
ANALYZE pg_regions;
