-- purpose: for each region code a record of kinds 5–8 may carry (a county-level unit, or a reporting unit that is not also one), the regions it counts in
SELECT code, [('county', code), ('unit', assumeNotNull(parent_code)), ('province', '220000')] AS path
FROM regions WHERE level = 'county'
UNION ALL
SELECT code, [('unit', code), ('province', '220000')] AS path
FROM regions WHERE level = 'unit' AND code NOT IN (SELECT code FROM regions WHERE level = 'county')
