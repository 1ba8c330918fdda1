-- purpose: the latest version of every stay (实训进驻) whose centre is loaded, with its centre's county; from every loaded run ({allRuns} = 1) or the given runs
SELECT stay_id, person_key, s.centre_id AS centre_id, entered, allowance, exit_date, channel, county
FROM (
  SELECT stay_id, st.1 AS person_key, st.2 AS centre_id, st.3 AS entered, st.4 AS allowance, st.5 AS exit_date, st.6 AS channel
  FROM (
    SELECT stay_id, argMax(tuple(person_key, centre_id, entered_date, allowance, exit_date, exit_channel), version) AS st
    FROM stay_raw WHERE {allRuns:UInt8} = 1 OR run_id IN {runs:Array(UInt64)}
    GROUP BY stay_id
  )
) AS s
INNER JOIN (
  SELECT centre_id, argMax(county_code, version) AS county
  FROM centre_raw WHERE {allRuns:UInt8} = 1 OR run_id IN {runs:Array(UInt64)}
  GROUP BY centre_id
) AS c ON c.centre_id = s.centre_id
