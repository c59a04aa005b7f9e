import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testLogger } from '../../test/support/index.ts';
import { startTestPostgres } from '../../test/support/postgres.ts';
import { eventually, ROW_SCHEMA as rowSchema, startConnectHarness } from '../test/harness.ts';
import { type ConnectWorkerServer, startConnectWorker } from './server.ts';

const h = await startConnectHarness();

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

  test('a PAUSED connector stays paused across a worker restart; what came meanwhile is written once resumed', async () => {
    // Its own worker on its own config and status topics: a second worker on connect-configs would start the
    // other tests' connectors too.
    const startWorker = () =>
      startConnectWorker({
        kafka: h.kafka,
        host: '127.0.0.1',
        port: 0,
        logger: testLogger('connect-restarted'),
        schemaRegistryUrl: h.registry.url,
        configTopic: 'paused-test-configs',
        statusTopic: 'paused-test-status',
      });
    const call = async (worker: ConnectWorkerServer, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${worker.url}${path}`, {
        method,
        ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const topic = 'paused-across-restart';
    const value = h.avro(topic, rowSchema);
    const send = async (from: number, to: number) => {
      const messages = [];
      for (let id = from; id < to; id++) messages.push({ value: await value.serialize({ id, n: id }) });
      await h.producer.send({ topic, messages });
    };
    const rows = async () =>
      (await h.sql('SELECT count(*)::int AS c FROM paused_rows').catch(() => []))[0]?.c as number | undefined;
    let worker: ConnectWorkerServer | undefined = await startWorker();
    try {
      const created = await call(worker, 'POST', '/connectors', {
        name: 'paused',
        config: {
          ...h.jdbc,
          topics: topic,
          'table.name.format': 'paused_rows',
          'auto.create': 'true',
          'insert.mode': 'upsert',
          'pk.mode': 'record_value',
          'pk.fields': 'id',
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await send(0, 10);
      await eventually(async () => (await rows()) === 10, 'the first 10 rows');
      assert.equal((await call(worker, 'PUT', '/connectors/paused/pause')).status, 202);
      await send(10, 15); // while paused, before the restart
      const stopped = worker;
      worker = undefined;
      await stopped.stop();
      worker = await startWorker();
      await send(15, 20); // while paused, after the restart
      const status = (await call(worker, 'GET', '/connectors/paused/status')).body;
      assert.equal(status.connector.state, 'PAUSED');
      assert.deepEqual(
        status.tasks.map((t: { state: string }) => t.state),
        ['PAUSED'],
      );
      await sleep(2000); // long enough for a running task to have written them
      assert.equal(await rows(), 10, 'a paused connector wrote rows');
      assert.equal((await call(worker, 'PUT', '/connectors/paused/resume')).status, 202);
      await eventually(async () => (await rows()) === 20, 'all 20 rows after the resume');
      assert.equal((await call(worker, 'GET', '/connectors/paused/status')).body.tasks[0].state, 'RUNNING');
    } finally {
      await worker?.stop();
    }
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
