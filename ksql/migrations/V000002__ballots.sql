-- Classification of the votes topic (ksql/README.md has the rules). Each
-- step reads the one before, so every record is classified exactly once.

-- The integrity alert feed: insert-only and key-less (the JDBC sink inserts
-- its value columns). cast_at is the vote's; for a malformed record without
-- one, the record's time, or the time ksqlDB logged it when unreadable.
CREATE STREAM integrity_events (
  kind STRING,
  vote_id STRING,
  voter_id STRING,
  candidate_id STRING,
  polling_station_id STRING,
  reason STRING,
  cast_at BIGINT
) WITH (KAFKA_TOPIC='integrity_events', KEY_FORMAT='NONE', VALUE_FORMAT='AVRO', PARTITIONS=1);

-- The only query that reads the votes topic: a record that cannot be read
-- (bad JSON, a cast_at that is no integer) is logged once, by this query,
-- to the processing log (counted in V000003).
CREATE STREAM votes_received WITH (KAFKA_TOPIC='votes_received', VALUE_FORMAT='JSON') AS
  SELECT * FROM votes;

-- Malformed: a field missing or null (without cast_at, the record's time).
INSERT INTO integrity_events
  SELECT 'malformed' AS kind, vote_id, voter_id, candidate_id, polling_station_id,
         'a vote field is missing or null' AS reason, COALESCE(cast_at, ROWTIME) AS cast_at
  FROM votes_received
  WHERE vote_id IS NULL OR voter_id IS NULL OR candidate_id IS NULL OR polling_station_id IS NULL
     OR method IS NULL OR cast_at IS NULL
  PARTITION BY NULL;

-- Well-formed votes with the voter's record. votes and voters are keyed by
-- voter_id and co-partitioned: no repartition, each voter's votes stay in
-- offset (= cast) order. A vote whose voter is unknown has NULL voter columns.
CREATE STREAM votes_checked WITH (KAFKA_TOPIC='votes_checked', VALUE_FORMAT='JSON', TIMESTAMP='cast_at') AS
  SELECT v.voter_id AS voter_id, v.vote_id AS vote_id, v.candidate_id AS candidate_id,
         v.polling_station_id AS polling_station_id, v.method AS method, v.cast_at AS cast_at,
         r.region_id AS region_id, r.constituency_id AS constituency_id,
         r.education AS education, r.income_band AS income_band
  FROM votes_received v
  LEFT JOIN voters r ON v.voter_id = r.voter_id
  WHERE v.vote_id IS NOT NULL AND v.voter_id IS NOT NULL AND v.candidate_id IS NOT NULL
    AND v.polling_station_id IS NOT NULL AND v.method IS NOT NULL AND v.cast_at IS NOT NULL;

INSERT INTO integrity_events
  SELECT 'unregistered_voter' AS kind, vote_id, voter_id, candidate_id, polling_station_id,
         'no voter record has this voter_id' AS reason, cast_at
  FROM votes_checked
  WHERE region_id IS NULL
  PARTITION BY NULL;

-- One row per registered voter: the first ballot (earliest by offset, which
-- is cast order on the voter's partition: grouping by the key does not
-- repartition), the latest, and how many were cast. With the record cache
-- off, the table's changelog has one record per vote: ballots_cast = 1 for
-- the first ballot, n > 1 for the n-th (a repeat).
SET 'cache.max.bytes.buffering'='0';

CREATE TABLE ballots WITH (KAFKA_TOPIC='ballots', VALUE_FORMAT='JSON') AS
  SELECT voter_id,
         EARLIEST_BY_OFFSET(vote_id) AS vote_id,
         EARLIEST_BY_OFFSET(candidate_id) AS candidate_id,
         EARLIEST_BY_OFFSET(polling_station_id) AS polling_station_id,
         EARLIEST_BY_OFFSET(method) AS method,
         EARLIEST_BY_OFFSET(cast_at) AS cast_at,
         EARLIEST_BY_OFFSET(region_id) AS region_id,
         EARLIEST_BY_OFFSET(constituency_id) AS constituency_id,
         EARLIEST_BY_OFFSET(education) AS education,
         EARLIEST_BY_OFFSET(income_band) AS income_band,
         LATEST_BY_OFFSET(vote_id) AS last_vote_id,
         LATEST_BY_OFFSET(candidate_id) AS last_candidate_id,
         LATEST_BY_OFFSET(polling_station_id) AS last_polling_station_id,
         LATEST_BY_OFFSET(cast_at) AS last_cast_at,
         COUNT(*) AS ballots_cast
  FROM votes_checked
  WHERE region_id IS NOT NULL
  GROUP BY voter_id;

UNSET 'cache.max.bytes.buffering';

-- The ballots table's changelog, read as a stream of ballot events.
CREATE STREAM ballot_events (
  voter_id STRING KEY,
  vote_id STRING,
  candidate_id STRING,
  polling_station_id STRING,
  method STRING,
  cast_at BIGINT,
  region_id STRING,
  constituency_id STRING,
  education STRING,
  income_band STRING,
  last_vote_id STRING,
  last_candidate_id STRING,
  last_polling_station_id STRING,
  last_cast_at BIGINT,
  ballots_cast BIGINT
) WITH (KAFKA_TOPIC='ballots', VALUE_FORMAT='JSON');

INSERT INTO integrity_events
  SELECT 'repeat_vote' AS kind, last_vote_id AS vote_id, voter_id, last_candidate_id AS candidate_id,
         last_polling_station_id AS polling_station_id,
         CONCAT('ballot ', CAST(ballots_cast AS STRING), ' of this voter; the first was ', vote_id) AS reason,
         last_cast_at AS cast_at
  FROM ballot_events
  WHERE ballots_cast > 1
  PARTITION BY NULL;

-- First ballots with their candidate's party (repartitioned by candidate_id:
-- the counts below do not depend on order). No party: the candidate is
-- unknown and the ballot is spoiled.
CREATE STREAM first_ballots WITH (KAFKA_TOPIC='first_ballots', VALUE_FORMAT='JSON', TIMESTAMP='cast_at') AS
  SELECT b.candidate_id AS candidate_id, b.voter_id AS voter_id, b.vote_id AS vote_id,
         b.polling_station_id AS polling_station_id, b.method AS method, b.cast_at AS cast_at,
         b.region_id AS region_id, b.constituency_id AS constituency_id,
         b.education AS education, b.income_band AS income_band, c.party_id AS party_id
  FROM ballot_events b
  LEFT JOIN candidates c ON b.candidate_id = c.candidate_id
  WHERE b.ballots_cast = 1;

INSERT INTO integrity_events
  SELECT 'unknown_candidate' AS kind, vote_id, voter_id, candidate_id, polling_station_id,
         'no candidate record has this candidate_id: a spoiled ballot' AS reason, cast_at
  FROM first_ballots
  WHERE party_id IS NULL
  PARTITION BY NULL;

-- The counted votes: every metric aggregates this stream (appends only).
CREATE STREAM counted_votes WITH (KAFKA_TOPIC='counted_votes', VALUE_FORMAT='JSON', TIMESTAMP='cast_at') AS
  SELECT * FROM first_ballots
  WHERE party_id IS NOT NULL;
