-- purpose: for each county-level code (and '' for persons not yet distributed), the regions its counts roll up to
SELECT code AS county, [('county', code), ('unit', assumeNotNull(parent_code)), ('province', '220000')] AS path
FROM regions WHERE level = 'county'
UNION ALL
SELECT '' AS county, [('province', '220000')] AS path
