-- purpose: whether new load runs can change measure_days: a record of kinds 5–8 among them, or a stay of a person whose state they touched (centre_1311 reads the person's 1311 day); read after person_touched is collected
SELECT
  (SELECT count() FROM centre_raw WHERE run_id IN {newRuns:Array(UInt64)})
  + (SELECT count() FROM stay_raw WHERE run_id IN {newRuns:Array(UInt64)})
  + (SELECT count() FROM post_raw WHERE run_id IN {newRuns:Array(UInt64)})
  + (SELECT count() FROM grant_raw WHERE run_id IN {newRuns:Array(UInt64)})
  + (SELECT count() FROM stay_raw WHERE run_id IN {runs:Array(UInt64)} AND person_key IN (SELECT person_key FROM person_touched)) AS n
