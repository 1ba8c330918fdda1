-- purpose: for each region code a record of kinds 9–12 may carry (county-level codes, reporting units' own codes, '' for persons not yet distributed), the regions it counts in: a unit's own records count at the unit and the province, in no county
SELECT code AS region, [('county', code), ('unit', assumeNotNull(parent_code)), ('province', '220000')] AS path
FROM regions WHERE level = 'county'
UNION ALL
SELECT code AS region, [('unit', code), ('province', '220000')] AS path
FROM regions WHERE level = 'unit' AND code NOT IN (SELECT code FROM regions WHERE level = 'county')
UNION ALL
SELECT '' AS region, [('province', '220000')] AS path
