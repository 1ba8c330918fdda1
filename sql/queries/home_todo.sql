-- purpose: today's to-do counts per county and kind as of a day (the rows of home_todo_persons, counted): persons, and items (help requests for 'help_due')
SELECT county_code, kind, count() AS persons, sum(items) AS items
FROM (/*home_todo_persons*/)
GROUP BY county_code, kind
ORDER BY county_code, kind
