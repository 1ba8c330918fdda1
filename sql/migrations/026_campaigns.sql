-- purpose: the campaign years one install holds (issue 18): each year's database on the same engine, the year the install began with in the main database, and whether a year is archived read-only
CREATE TABLE IF NOT EXISTS campaigns (
  year UInt16,
  database String,
  home UInt8,
  archived UInt8,
  updated_at DateTime64(6, 'UTC') DEFAULT now64(6)
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY year;
