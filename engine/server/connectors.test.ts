// Connector statements over HTTP, forwarded to our Connect worker (ksql.connect.url).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startConnectHarness } from '../../connect/test/harness.ts';
import { temporaryDir, testLogger } from '../../test/support/index.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './app.ts';

const h = await startConnectHarness();

function startServer(connectUrl?: string): Promise<KsqlRestServer> {
  return startKsqlRestServer({
    bootstrapServers: [h.broker.address],
    serviceId: connectUrl ? 'connectors_' : 'no_connect_',
    stateDir: temporaryDir('tally-ksql-connect-'),
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    ...(connectUrl && { connectUrl }),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: entities are read field by field against ksqlDB's shapes.
async function ksql(server: KsqlRestServer, sql: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: {} }),
  });
  return { status: response.status, body: await response.json() };
}

describe('connector statements', () => {
  test('CREATE, SHOW, DESCRIBE and DROP CONNECTOR answer ksqlDB entities from the Connect worker', async () => {
    const server = await startServer(h.worker.url);
    try {
      const properties = Object.entries({ ...h.jdbc, topics: 'ksql_connector_topic', 'auto.create': 'true' })
        .map(([k, v]) => `"${k}"='${v}'`)
        .join(', ');
      const created = await ksql(server, `CREATE SINK CONNECTOR \`ksql-sink\` WITH (${properties});`);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const info = created.body[0];
      assert.equal(info['@type'], 'connector_info');
      assert.equal(info.info.name, 'ksql-sink');
      assert.equal(info.info.type, 'sink');
      assert.equal(info.info.config.topics, 'ksql_connector_topic');
      assert.deepEqual(info.info.tasks, [{ connector: 'ksql-sink', task: 0 }]);
      const stored = await h.http('GET', '/connectors/ksql-sink/config');
      assert.equal(stored.body['connection.url'], h.jdbc['connection.url']);

      const again = await ksql(server, `CREATE SINK CONNECTOR IF NOT EXISTS \`ksql-sink\` WITH (${properties});`);
      assert.equal(again.body[0]['@type'], 'warning_entity');
      assert.equal(again.body[0].message, 'Connector ksql-sink already exists');
      const clash = await ksql(server, `CREATE SINK CONNECTOR \`ksql-sink\` WITH (${properties});`);
      assert.equal(clash.status, 400);
      assert.equal(clash.body['@type'], 'statement_error');
      assert.match(
        clash.body.message,
        /Failed to create connector: Connector ksql-sink already exists \(Connect answered 409\)/,
      );

      const listed = await ksql(server, 'SHOW CONNECTORS; SHOW SOURCE CONNECTORS; LIST SINK CONNECTORS;');
      assert.deepEqual(
        listed.body.map((e: { '@type': string }) => e['@type']),
        ['connector_list', 'connector_list', 'connector_list'],
      );
      const sink = {
        name: 'ksql-sink',
        type: 'sink',
        className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
        state: 'RUNNING (1/1 tasks RUNNING)',
      };
      assert.deepEqual(listed.body[0].connectors, [sink]);
      assert.deepEqual(listed.body[1].connectors, []);
      assert.deepEqual(listed.body[2].connectors, [sink]);

      const described = (await ksql(server, 'DESCRIBE CONNECTOR `ksql-sink`;')).body[0];
      assert.equal(described['@type'], 'connector_description');
      assert.equal(described.connectorClass, 'io.confluent.connect.jdbc.JdbcSinkConnector');
      assert.equal(described.status.name, 'ksql-sink');
      assert.equal(described.status.connector.state, 'RUNNING');
      assert.equal(described.status.tasks[0].state, 'RUNNING');
      assert.deepEqual(described.topics, ['ksql_connector_topic']);
      assert.deepEqual(described.sources, []);
      const missing = await ksql(server, 'DESCRIBE CONNECTOR nope;');
      assert.equal(missing.status, 404);
      assert.match(missing.body.message, /Failed to describe connector: Connector NOPE not found/);

      const dropped = await ksql(server, 'DROP CONNECTOR `ksql-sink`;');
      assert.deepEqual(dropped.body[0], {
        '@type': 'drop_connector',
        statementText: 'DROP CONNECTOR `ksql-sink`;',
        warnings: [],
        connectorName: 'ksql-sink',
      });
      assert.deepEqual((await h.http('GET', '/connectors')).body, []);
      const droppedAgain = await ksql(server, 'DROP CONNECTOR IF EXISTS `ksql-sink`;');
      assert.equal(droppedAgain.body[0]['@type'], 'warning_entity');
      assert.equal((await ksql(server, 'DROP CONNECTOR `ksql-sink`;')).status, 404);
    } finally {
      await server.stop();
    }
  });

  test('without ksql.connect.url a connector statement is an error that says so', async () => {
    const server = await startServer();
    try {
      const answer = await ksql(server, 'SHOW CONNECTORS;');
      assert.equal(answer.status, 400);
      assert.match(answer.body.message, /set ksql\.connect\.url/);
    } finally {
      await server.stop();
    }
  });
});
