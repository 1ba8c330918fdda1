-- purpose: the day deltas of every count of kinds 5–8 per region (all levels) except centre_1311, from the latest version of every record: (level, code, day, key, v)
-- Counts of records are summed per county first and then rolled up; distinct persons (entrants, residents,
-- policy persons) are rolled up first, so a person counts once in each region however many stays or grants.
WITH
  centres AS (
    SELECT ct.1 AS county, ct.2 AS opened
    FROM (
      SELECT argMax(tuple(county_code, opened_date), version) AS ct
      FROM centre_raw WHERE {allRuns:UInt8} = 1 OR run_id IN {runs:Array(UInt64)}
      GROUP BY centre_id
    )
  ),
  stays AS (/*measures_latest_stays*/),
  posts AS (
    SELECT pt.1 AS region, pt.2 AS src, pt.3 AS developed, pt.4 AS openings, pt.5 AS published, pt.6 AS hired
    FROM (
      SELECT argMax(tuple(region_code, post_source, developed_date, openings, published_date, hired), version) AS pt
      FROM post_raw WHERE {allRuns:UInt8} = 1 OR run_id IN {runs:Array(UInt64)}
      GROUP BY post_id
    )
  ),
  grants AS (
    SELECT gt.1 AS person_key, gt.2 AS policy, gt.3 AS amount, gt.4 AS applied, gt.5 AS granted, gt.6 AS channel, gt.7 AS county
    FROM (
      SELECT argMax(tuple(person_key, policy, amount, applied_date, granted_date, channel, county_code), version) AS gt
      FROM grant_raw WHERE {allRuns:UInt8} = 1 OR run_id IN {runs:Array(UInt64)}
      GROUP BY grant_id
    )
  ),
  paths AS (/*measures_paths*/),
  by_record AS (
    SELECT rc, day, key, sum(v) AS v FROM (
      SELECT county AS rc, opened AS day, 'centres' AS key, toInt64(1) AS v FROM centres
      UNION ALL SELECT county, min(opened), 'county_centres', toInt64(1) FROM centres GROUP BY county
      -- A CTE is computed again wherever it is named: each record kind's latest versions are read once here,
      -- every key of a record coming out of one ARRAY JOIN (at national size 29 s → see docs/benchmarks.md).
      UNION ALL SELECT county, x.1, x.2, x.3 FROM stays
        ARRAY JOIN arrayConcat(
          [(entered, 'centre_allowance_cents', toInt64(ifNull(allowance, toDecimal64(0, 2)) * 100))],
          if(exit_date IS NULL, [], arrayConcat(
            [(assumeNotNull(exit_date), 'centre_exits', toInt64(1))],
            if(has({exitChannels:Array(String)}, channel),
              [(assumeNotNull(exit_date), concat('centre_exit_', toString(indexOf({exitChannels:Array(String)}, channel) - 1)), toInt64(1))], [])))
        ) AS x
      UNION ALL SELECT region, developed, 'posts_developed', toInt64(openings) FROM posts
      UNION ALL SELECT region, developed, concat('posts_src_', toString(indexOf({postSources:Array(String)}, src) - 1)), toInt64(openings)
        FROM posts WHERE has({postSources:Array(String)}, src)
      UNION ALL SELECT region, greatest(developed, assumeNotNull(published)), 'posts_published', toInt64(openings) FROM posts WHERE published IS NOT NULL
      UNION ALL SELECT region, developed, 'posts_hired', toInt64(hired) FROM posts
      UNION ALL SELECT county, x.1, x.2, x.3 FROM grants
        ARRAY JOIN arrayConcat(
          [(applied, 'policy_pending', toInt64(1))],
          if(granted IS NULL, [], arrayConcat(
            [(assumeNotNull(granted), 'policy_pending', toInt64(-1)), (assumeNotNull(granted), 'policy_granted', toInt64(1)),
              (assumeNotNull(granted), 'policy_amount_cents', toInt64(amount * 100))],
            if(has({policyTypes:Array(String)}, policy),
              [(assumeNotNull(granted), concat('policy_n_', toString(indexOf({policyTypes:Array(String)}, policy) - 1)), toInt64(1)),
                (assumeNotNull(granted), concat('policy_cents_', toString(indexOf({policyTypes:Array(String)}, policy) - 1)), toInt64(amount * 100))], []),
            if(has({policyChannels:Array(String)}, channel),
              [(assumeNotNull(granted), concat('policy_ch_', toString(indexOf({policyChannels:Array(String)}, channel) - 1)), toInt64(1))], [])))
        ) AS x
    )
    GROUP BY rc, day, key
  ),
  stays_r AS (
    SELECT p.1 AS level, p.2 AS code, person_key, entered, exit_date
    FROM stays INNER JOIN paths ON paths.code = stays.county
    ARRAY JOIN paths.path AS p
  ),
  grants_r AS (
    -- (granted_day, not granted: an alias named like the column would turn the filter below into "always")
    SELECT p.1 AS level, p.2 AS code, person_key, assumeNotNull(granted) AS granted_day
    FROM grants INNER JOIN paths ON paths.code = grants.county
    ARRAY JOIN paths.path AS p
    WHERE grants.granted IS NOT NULL
  )
SELECT p.1 AS level, p.2 AS code, day, key, v
FROM by_record INNER JOIN paths ON paths.code = by_record.rc
ARRAY JOIN paths.path AS p
UNION ALL
-- entrants: a person counts once per region, on their first entry; resident while any of their stays in the
-- region covers the day: +1 where that coverage starts, -1 where it ends (one pass over the stays for both)
SELECT level, code, x.1 AS day, x.2 AS key, sum(x.3) AS v
FROM (
  SELECT level, code, min(entered) AS first_in,
    sumMap(if(exit_date IS NULL, [entered], [entered, assumeNotNull(exit_date)]), if(exit_date IS NULL, [toInt64(1)], [toInt64(1), toInt64(-1)])) AS m,
    arrayCumSum(m.2) AS cov
  FROM stays_r
  GROUP BY level, code, person_key
)
ARRAY JOIN arrayConcat(
  [(first_in, 'centre_entrants', toInt64(1))],
  arrayMap(y -> (y.1, 'centre_resident', y.2),
    arrayFilter(y -> y.2 != 0, arrayMap(i -> (m.1[i], toInt64(cov[i] > 0) - toInt64(i > 1 AND cov[i - 1] > 0)), arrayEnumerate(m.1))))
) AS x
GROUP BY level, code, day, key
UNION ALL
SELECT level, code, day, 'policy_persons', toInt64(count())
FROM (SELECT level, code, min(granted_day) AS day FROM grants_r GROUP BY level, code, person_key)
GROUP BY level, code, day
