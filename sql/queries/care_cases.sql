-- purpose: the rights cases (latest version per 案件编号) under a set of region codes received by a day, with their state as of that day: open, overdue (纠正期限 before the day while open) and days overdue
SELECT case_id, t.1 AS region_code, t.2 AS unit_code, t.3 AS case_type, t.4 AS party, t.5 AS party_kind, toString(t.6) AS opened_date, t.7 AS action,
  ifNull(toString(t.8), '') AS deadline, ifNull(toString(t.9), '') AS closed_date, t.10 AS graduates,
  toUInt8(t.9 IS NULL OR t.9 > {asOf:Date}) AS open,
  toUInt8((t.9 IS NULL OR t.9 > {asOf:Date}) AND t.8 IS NOT NULL AND t.8 < {asOf:Date}) AS overdue,
  if(t.8 IS NOT NULL AND t.8 < {asOf:Date}, dateDiff('day', assumeNotNull(t.8), {asOf:Date}), 0) AS days_overdue
FROM (SELECT case_id, argMax((region_code, unit_code, case_type, party, party_kind, opened_date, action, deadline, closed_date, graduates), version) AS t
      FROM rights_raw GROUP BY case_id)
WHERE t.6 <= {asOf:Date}
  AND ({all:UInt8} = 1 OR has({codes:Array(String)}, t.1))
  AND ({openOnly:UInt8} = 0 OR t.9 IS NULL OR t.9 > {asOf:Date})
ORDER BY overdue DESC, days_overdue DESC, t.6, case_id
