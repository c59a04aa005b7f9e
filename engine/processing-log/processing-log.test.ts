import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KsqlEngine } from '../execution/engine.ts';
import { KsqlPipelineDriver } from '../execution/pipeline-driver.ts';
import { ProcessingLogger, processingLogValue } from './processing-log.ts';

describe('the processing log, ksqlDB-shaped', () => {
  test('a deserialization error is a type 0 entry naming the topic, under the query source logger', () => {
    const logger = new ProcessingLogger(() => 42);
    logger.error('CSAS_X_0', 'deserialization', 'Failed to deserialize value from topic: votes. bad', {
      topic: 'votes',
      partition: 0,
      offset: 7,
    });
    const [record] = logger.records;
    assert.ok(record);
    assert.deepEqual(processingLogValue(record), {
      level: 'ERROR',
      logger: 'processing.CSAS_X_0.KsqlTopic.Source.deserializer',
      time: 42,
      message: {
        type: 0,
        deserializationError: {
          target: 'value',
          errorMessage: 'Error deserializing message from topic: votes',
          recordB64: null,
          cause: ['Failed to deserialize value from topic: votes. bad'],
          topic: 'votes',
        },
        recordProcessingError: null,
        productionError: null,
        serializationError: null,
        kafkaStreamsThreadError: null,
      },
    });
  });

  test('with ksql.logging.processing.stream.auto.create, SQL over KSQL_PROCESSING_LOG counts bad records', () => {
    const engine = new KsqlEngine({
      config: { 'ksql.logging.processing.stream.auto.create': 'true', 'ksql.service.id': 'tally_' },
    });
    assert.equal(engine.metastore.source('KSQL_PROCESSING_LOG')?.topic, 'tally_ksql_processing_log');
    engine.execute(`
      CREATE STREAM votes (voter_id STRING KEY, cast_at BIGINT) WITH (kafka_topic='votes', value_format='JSON');
      CREATE STREAM good AS SELECT * FROM votes;
      CREATE TABLE bad AS
        SELECT MESSAGE->DESERIALIZATIONERROR->\`topic\` AS source_topic, COUNT(*) AS n
        FROM KSQL_PROCESSING_LOG WHERE MESSAGE->TYPE = 0
        GROUP BY MESSAGE->DESERIALIZATIONERROR->\`topic\`;`);
    const driver = new KsqlPipelineDriver(engine);
    try {
      driver.pipe('votes', 'a', '{"cast_at": 1}', 1);
      driver.pipe('votes', 'b', '{"cast_at": "soon"}', 2);
      driver.pipe('votes', 'c', 'not json', 3);
      driver.flush();
      const bad = engine.metastore.source('BAD');
      assert.ok(bad);
      assert.deepEqual([...driver.latestRows(bad)], [['["votes"]', { N: 2 }]]);
      assert.equal(driver.records('tally_ksql_processing_log').length, 2);
    } finally {
      driver.close();
    }
  });
});
