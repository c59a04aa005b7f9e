-- The metric tables the dashboard reads from Postgres (one JDBC sink table
-- each, named after its topic). Vote counts aggregate counted_votes, an
-- append-only stream, so no count ever goes down. Rankings (leader,
-- winners, seats, top stations) are read-time queries: ksql/README.md.

CREATE TABLE votes_by_candidate WITH (KAFKA_TOPIC='votes_by_candidate', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT candidate_id, LATEST_BY_OFFSET(party_id) AS party_id, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY candidate_id;

CREATE TABLE votes_by_party WITH (KAFKA_TOPIC='votes_by_party', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT party_id, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY party_id;

-- The voter's constituency (for a national candidate, the constituency the
-- vote was cast in): winners and seats come from this table.
CREATE TABLE votes_by_constituency_candidate
  WITH (KAFKA_TOPIC='votes_by_constituency_candidate', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT constituency_id, candidate_id, LATEST_BY_OFFSET(party_id) AS party_id, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY constituency_id, candidate_id;

CREATE TABLE votes_by_education_party WITH (KAFKA_TOPIC='votes_by_education_party', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT education, party_id, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY education, party_id;

CREATE TABLE votes_by_income_candidate WITH (KAFKA_TOPIC='votes_by_income_candidate', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT income_band, candidate_id, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY income_band, candidate_id;

CREATE TABLE votes_by_method WITH (KAFKA_TOPIC='votes_by_method', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT method, COUNT(*) AS votes
  FROM counted_votes
  GROUP BY method;

-- Hours of cast_at, epoch-aligned (= WINDOWSTART of a one-hour tumbling
-- window), grouped by value rather than by window: a late vote still counts
-- (no grace period) and the key is a plain BIGINT. The sink keys rows by the
-- value column HOUR_START (pk.mode=record_value).
CREATE TABLE votes_by_hour WITH (KAFKA_TOPIC='votes_by_hour', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT cast_at - cast_at % 3600000 AS cast_hour,
         AS_VALUE(cast_at - cast_at % 3600000) AS hour_start,
         COUNT(*) AS votes
  FROM counted_votes
  GROUP BY cast_at - cast_at % 3600000;

-- Polling stations with the station's own constituency and region (the join
-- repartitions by polling_station_id; counts do not depend on order).
CREATE STREAM counted_votes_at_stations WITH (KAFKA_TOPIC='counted_votes_at_stations', VALUE_FORMAT='JSON') AS
  SELECT v.polling_station_id AS polling_station_id, s.constituency_id AS constituency_id, s.region_id AS region_id
  FROM counted_votes v
  LEFT JOIN polling_stations s ON v.polling_station_id = s.polling_station_id;

CREATE TABLE votes_by_polling_station WITH (KAFKA_TOPIC='votes_by_polling_station', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT polling_station_id,
         LATEST_BY_OFFSET(constituency_id) AS constituency_id,
         LATEST_BY_OFFSET(region_id) AS region_id,
         COUNT(*) AS votes
  FROM counted_votes_at_stations
  GROUP BY polling_station_id;

-- Turnout: registered voters (a table aggregation over voters, so a
-- re-sent voter record is not counted twice) joined with voters who have a
-- counted vote. Both sides inherit their source topics' partition count,
-- which producers/ keeps equal for voters and votes.
CREATE TABLE registered_by_region WITH (KAFKA_TOPIC='registered_by_region', VALUE_FORMAT='JSON') AS
  SELECT region_id, COUNT(*) AS registered
  FROM voters
  GROUP BY region_id;

CREATE TABLE voted_by_region WITH (KAFKA_TOPIC='voted_by_region', VALUE_FORMAT='JSON') AS
  SELECT region_id, COUNT(*) AS voted
  FROM counted_votes
  GROUP BY region_id;

CREATE TABLE turnout_by_region WITH (KAFKA_TOPIC='turnout_by_region', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT r.region_id AS region_id,
         r.registered AS registered,
         COALESCE(v.voted, CAST(0 AS BIGINT)) AS voted,
         CAST(COALESCE(v.voted, CAST(0 AS BIGINT)) AS DOUBLE) / r.registered AS turnout
  FROM registered_by_region r
  LEFT JOIN voted_by_region v ON r.region_id = v.region_id;

CREATE TABLE registered_by_constituency WITH (KAFKA_TOPIC='registered_by_constituency', VALUE_FORMAT='JSON') AS
  SELECT constituency_id, COUNT(*) AS registered
  FROM voters
  GROUP BY constituency_id;

CREATE TABLE voted_by_constituency WITH (KAFKA_TOPIC='voted_by_constituency', VALUE_FORMAT='JSON') AS
  SELECT constituency_id, COUNT(*) AS voted
  FROM counted_votes
  GROUP BY constituency_id;

CREATE TABLE registered_in_constituency WITH (KAFKA_TOPIC='registered_in_constituency', VALUE_FORMAT='JSON') AS
  SELECT r.constituency_id AS constituency_id, c.region_id AS region_id, r.registered AS registered
  FROM registered_by_constituency r
  JOIN constituencies c ON r.constituency_id = c.constituency_id;

CREATE TABLE turnout_by_constituency WITH (KAFKA_TOPIC='turnout_by_constituency', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT r.constituency_id AS constituency_id,
         r.region_id AS region_id,
         r.registered AS registered,
         COALESCE(v.voted, CAST(0 AS BIGINT)) AS voted,
         CAST(COALESCE(v.voted, CAST(0 AS BIGINT)) AS DOUBLE) / r.registered AS turnout
  FROM registered_in_constituency r
  LEFT JOIN voted_by_constituency v ON r.constituency_id = v.constituency_id;

-- Malformed records that could not be read: ksqlDB's processing log entries
-- for deserialization errors on the votes topic, logged by the one query
-- that reads it (CSAS_VOTES_RECEIVED_<n>; a transient SELECT over votes logs
-- too, and is left out by the logger name).
INSERT INTO integrity_events
  SELECT 'malformed' AS kind,
         CAST(NULL AS STRING) AS vote_id,
         CAST(NULL AS STRING) AS voter_id,
         CAST(NULL AS STRING) AS candidate_id,
         CAST(NULL AS STRING) AS polling_station_id,
         MESSAGE->DESERIALIZATIONERROR->ERRORMESSAGE AS reason,
         `TIME` AS cast_at
  FROM KSQL_PROCESSING_LOG
  WHERE MESSAGE->`TYPE` = 0
    AND MESSAGE->DESERIALIZATIONERROR->`topic` = 'votes'
    AND LOGGER LIKE 'processing.CSAS_VOTES_RECEIVED_%';

CREATE TABLE integrity_counts WITH (KAFKA_TOPIC='integrity_counts', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT kind, COUNT(*) AS records
  FROM integrity_events
  GROUP BY kind;
