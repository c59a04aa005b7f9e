import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlSyntaxError } from '../parser/errors.ts';
import { InMemorySchemaRegistry } from '../serde/schema-registry.ts';
import { formatSchema } from '../types/schema.ts';
import { KsqlEngine, KsqlStatementError } from './engine.ts';

const VOTES =
  "CREATE STREAM votes (voter_id STRING KEY, candidate_id INT) WITH (kafka_topic='votes', value_format='JSON');";

describe('engine statements', () => {
  it('substitutes DEFINEd variables in the statements after the DEFINE', () => {
    const engine = new KsqlEngine();
    engine.execute(
      `DEFINE topic = 'ballots'; CREATE STREAM b (id INT) WITH (kafka_topic='\${topic}', value_format='JSON');`,
    );
    assert.equal(engine.metastore.source('B')?.topic, 'ballots');
  });

  it('reports a syntax error with its position in the whole script', () => {
    const engine = new KsqlEngine();
    try {
      engine.execute(`${VOTES}\nCREATE STREAM x AS SELECT * FROM FROM votes;`);
      assert.fail('expected a syntax error');
    } catch (error) {
      assert.ok(error instanceof SqlSyntaxError);
      assert.deepEqual([error.line, error.column], [2, 34]);
    }
  });

  it('refuses to drop a source a query reads, then drops it once the query is terminated', () => {
    const engine = new KsqlEngine();
    engine.execute(`${VOTES} CREATE STREAM copy AS SELECT * FROM votes;`);
    assert.throws(
      () => engine.execute('DROP STREAM votes;'),
      /The following queries read from this source: \[CSAS_COPY_0\]/,
    );
    engine.execute('TERMINATE CSAS_COPY_0; DROP STREAM votes;');
    assert.equal(engine.metastore.source('VOTES'), undefined);
  });

  it('serializes INSERT ... VALUES for the runtime to write', () => {
    const engine = new KsqlEngine({ now: () => 42 });
    engine.execute(VOTES);
    const [result] = engine.execute("INSERT INTO votes (voter_id, candidate_id) VALUES ('v1', 3);");
    assert.equal(result?.inserted?.topic, 'votes');
    assert.equal(result?.inserted?.key?.toString(), 'v1');
    assert.equal(result?.inserted?.value?.toString(), '{"CANDIDATE_ID":3}');
    assert.equal(result?.inserted?.timestamp, 42);
  });

  it('infers columns from the schema registry when a statement leaves them out', () => {
    const schemaRegistry = new InMemorySchemaRegistry();
    schemaRegistry.register(
      'ballots-value',
      'AVRO',
      JSON.stringify({ type: 'record', name: 'B', fields: [{ name: 'CANDIDATE', type: 'string' }] }),
    );
    const engine = new KsqlEngine({ schemaRegistry });
    engine.execute("CREATE STREAM ballots (ID STRING KEY) WITH (kafka_topic='ballots', value_format='AVRO');");
    const source = engine.metastore.source('BALLOTS');
    assert.equal(formatSchema(source?.schema ?? { key: [], value: [] }), '`ID` STRING KEY, `CANDIDATE` STRING');
  });

  it('wraps analysis errors with the failing statement', () => {
    const engine = new KsqlEngine();
    try {
      engine.execute('CREATE STREAM x AS SELECT * FROM nowhere;');
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof KsqlStatementError);
      assert.equal(error.statement, 'CREATE STREAM x AS SELECT * FROM nowhere;');
      assert.match(error.message, /NOWHERE does not exist/);
    }
  });
});
