-- purpose: one person's help plans (latest version per 计划编号) and return visits (latest version of each 跟踪回访 service record), for the person page
SELECT 'plan' AS what, plan_id AS id, t.1 AS specialist, toString(t.2) AS day, t.3 AS measures, t.4 AS visit_days, t.5 AS status, '' AS county, '' AS method
FROM (SELECT plan_id, argMax((specialist, plan_date, measures, visit_days, status, person_key), version) AS t FROM plan_raw
      WHERE person_key = {pk:UUID} GROUP BY plan_id)
WHERE t.6 = {pk:UUID}
UNION ALL
SELECT 'visit', record_id, t.4, toString(t.1), [], NULL, '', t.5, t.6
FROM (SELECT record_id, argMax((service_time, service_type, person_key, staff, county_code, contact_method), version) AS t FROM service_raw
      WHERE record_id IN (SELECT record_id FROM service_raw WHERE person_key = {pk:UUID}) GROUP BY record_id)
WHERE t.3 = {pk:UUID} AND t.2 = {visitType:String}
