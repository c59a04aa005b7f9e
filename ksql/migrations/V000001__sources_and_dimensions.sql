-- The election's topics as ksqlDB sources, and AVRO copies of the dimension
-- tables for the JDBC sink. The producers write JSON values keyed by each
-- record's id (producers/model.ts, RECORD_KEYS); times are epoch millis.

CREATE TABLE regions (
  region_id STRING PRIMARY KEY,
  name STRING
) WITH (KAFKA_TOPIC='regions', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE constituencies (
  constituency_id STRING PRIMARY KEY,
  name STRING,
  region_id STRING
) WITH (KAFKA_TOPIC='constituencies', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE polling_stations (
  polling_station_id STRING PRIMARY KEY,
  name STRING,
  address STRING,
  constituency_id STRING,
  region_id STRING
) WITH (KAFKA_TOPIC='polling_stations', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE parties (
  party_id STRING PRIMARY KEY,
  name STRING,
  color STRING
) WITH (KAFKA_TOPIC='parties', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE candidates (
  candidate_id STRING PRIMARY KEY,
  name STRING,
  party_id STRING,
  party_name STRING,
  constituency_id STRING,
  region_id STRING,
  photo STRING
) WITH (KAFKA_TOPIC='candidates', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE voters (
  voter_id STRING PRIMARY KEY,
  name STRING,
  date_of_birth STRING,
  gender STRING,
  education STRING,
  income_band STRING,
  constituency_id STRING,
  region_id STRING,
  polling_station_id STRING,
  registered_at BIGINT
) WITH (KAFKA_TOPIC='voters', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

-- Votes keep their Kafka record time (the producers set it to cast_at): a
-- TIMESTAMP='cast_at' here would turn a vote without cast_at into a
-- timestamp-extraction error, dropped before the SQL could count it as
-- malformed. votes_checked (V000002) takes cast_at as its event time.
CREATE STREAM votes (
  voter_id STRING KEY,
  vote_id STRING,
  candidate_id STRING,
  polling_station_id STRING,
  method STRING,
  cast_at BIGINT
) WITH (KAFKA_TOPIC='votes', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE TABLE dim_regions WITH (KAFKA_TOPIC='dim_regions', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT * FROM regions;

CREATE TABLE dim_constituencies WITH (KAFKA_TOPIC='dim_constituencies', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT * FROM constituencies;

CREATE TABLE dim_polling_stations WITH (KAFKA_TOPIC='dim_polling_stations', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT * FROM polling_stations;

CREATE TABLE dim_parties WITH (KAFKA_TOPIC='dim_parties', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT * FROM parties;

CREATE TABLE dim_candidates WITH (KAFKA_TOPIC='dim_candidates', FORMAT='AVRO', PARTITIONS=1) AS
  SELECT * FROM candidates;
