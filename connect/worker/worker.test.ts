import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestPostgres } from '../../test/support/postgres.ts';
import { eventually, startConnectHarness } from '../test/harness.ts';

const h = await startConnectHarness();
const rowSchema = {
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'n', type: 'long' },
  ],
};

describe('Connect worker', () => {
  test('REST API: plugins, create (409 twice), get, config put, status, pause, resume, restart, list, delete', async () => {
    const plugins = await h.http('GET', '/connector-plugins');
    assert.deepEqual(plugins.body, [
      { class: 'io.confluent.connect.jdbc.JdbcSinkConnector', type: 'sink', version: '10.8.4' },
    ]);
    const config = { ...h.jdbc, topics: 'rest-topic', 'auto.create': 'true' };
    assert.equal((await h.http('POST', '/connectors', { name: 'rest', config })).status, 201);
    const again = await h.http('POST', '/connectors', { name: 'rest', config });
    assert.deepEqual(again, { status: 409, body: { error_code: 409, message: 'Connector rest already exists' } });
    const info = await h.http('GET', '/connectors/rest');
    assert.deepEqual(info.body.tasks, [{ connector: 'rest', task: 0 }]);
    assert.equal(info.body.config.name, 'rest');
    assert.equal((await h.http('GET', '/connectors/rest/config')).body.topics, 'rest-topic');
    const updated = await h.http('PUT', '/connectors/rest/config', { ...config, 'batch.size': 100 });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.config['batch.size'], '100');
    assert.equal((await h.http('PUT', '/connectors/other/config', config)).status, 201);
    assert.equal((await h.http('PUT', '/connectors/rest/pause')).status, 202);
    assert.equal((await h.http('GET', '/connectors/rest/status')).body.connector.state, 'PAUSED');
    assert.equal((await h.http('PUT', '/connectors/rest/resume')).status, 202);
    assert.equal((await h.http('GET', '/connectors/rest/status')).body.tasks[0].state, 'RUNNING');
    assert.equal((await h.http('POST', '/connectors/rest/restart')).status, 204);
    const expanded = await h.http('GET', '/connectors?expand=status');
    assert.equal(expanded.body.rest.status.connector.state, 'RUNNING');
    assert.deepEqual((await h.http('GET', '/connectors')).body, ['other', 'rest']);
    assert.equal((await h.http('DELETE', '/connectors/other')).status, 204);
    assert.deepEqual(await h.http('GET', '/connectors/other'), {
      status: 404,
      body: { error_code: 404, message: 'Connector other not found' },
    });
    const bad = await h.http('POST', '/connectors', { name: 'bad', config: { ...config, 'insert.mode': 'upsert' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /pk\.mode/);
    await h.http('DELETE', '/connectors/rest');
  });

  test('a database that goes away: retried, then FAILED with a trace; a restart resumes without loss', async () => {
    const topic = 'outage';
    const value = h.avro(topic, rowSchema);
    const send = async (from: number, to: number) => {
      const messages = [];
      for (let id = from; id < to; id++) messages.push({ value: await value.serialize({ id, n: id * 2 }) });
      await h.producer.send({ topic, messages });
    };
    await send(0, 100);
    await h.http('POST', '/connectors', {
      name: 'outage',
      config: {
        ...h.jdbc,
        topics: topic,
        'auto.create': 'true',
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'max.retries': '2',
        'retry.backoff.ms': '200',
      },
    });
    await eventually(
      async () => (await h.sql('SELECT count(*)::int AS c FROM outage').catch(() => []))[0]?.c === 100,
      '100 rows',
    );
    await h.postgres.stop();
    await send(100, 200);
    const failed = await eventually(async () => {
      const s = await h.http('GET', '/connectors/outage/status');
      return s.body.tasks[0].state === 'FAILED' ? s.body : undefined;
    }, 'a failed task');
    assert.match(failed.tasks[0].trace, /failed 3 times \(max\.retries=2\)/);
    await startTestPostgres({ dataDir: h.postgres.dataDir, port: h.postgres.port });
    assert.equal((await h.http('POST', '/connectors/outage/restart')).status, 204);
    await eventually(
      async () => (await h.sql('SELECT count(*)::int AS c FROM outage').catch(() => []))[0]?.c === 200,
      '200 rows',
    );
    assert.equal((await h.http('GET', '/connectors/outage/status')).body.tasks[0].state, 'RUNNING');
  });
});
