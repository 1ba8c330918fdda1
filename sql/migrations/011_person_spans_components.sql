-- purpose: keep, per person span, the day each 1311 component is reached, so the screen's funnel reads the kept state instead of every raw service record
-- Aligned with the campaign's rule1311 (comp_days[i]: the day the person has r1311Counts[i] services of r1311Types[i];
-- 2149-06-06 = not yet). Existing states are rebuilt whole by the next sync (their layout key differs).
ALTER TABLE person_spans ADD COLUMN IF NOT EXISTS comp_days Array(Date);
