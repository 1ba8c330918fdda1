-- purpose: the kept day deltas of kinds 5–8 (measure_days) up to a day, oldest first, for the running sums of the as-of and daily counts
SELECT level, code, day, vec FROM measure_days WHERE day <= {to:Date} ORDER BY day
