-- purpose: dispatch orders (督办) per county still awaiting the county's first reply (status issued), with the oldest due date; dispatch orders are work of the present, not of an as-of day
SELECT county_code, count() AS orders, toString(min(due_date)) AS oldest_due
FROM dispatch_orders FINAL
WHERE status = 'issued' AND has({counties:Array(String)}, county_code)
GROUP BY county_code
ORDER BY county_code
