import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../config/index.ts';
import { freePort, temporaryDir } from '../../test/support/index.ts';
import { eventually, ROW_SCHEMA as rowSchema, startConnectHarness } from '../test/harness.ts';

const h = await startConnectHarness();

describe('Connect worker crash recovery', () => {
  test('kill -9 of the worker mid-stream, then a restart: the table equals the topic’s last values', async () => {
    const topic = 'crash';
    const value = h.avro(topic, rowSchema);
    const port = await freePort();
    const dataDir = temporaryDir('tally-connect-');
    const startWorker = () =>
      spawn(path.join(PROJECT_ROOT, 'bin', 'tally'), ['connect'], {
        env: {
          ...process.env,
          KAFKA_BROKERS: h.broker.address,
          TALLY_CONNECT_PORT: String(port),
          SCHEMA_REGISTRY_URL: h.registry.url,
          TALLY_DATA_DIR: dataDir,
          TALLY_LOG_LEVEL: process.env.TALLY_TEST_CHILD_OUTPUT ? 'info' : 'error',
        },
        stdio: process.env.TALLY_TEST_CHILD_OUTPUT ? 'inherit' : 'ignore',
      });
    const url = `http://127.0.0.1:${port}`;
    const answers = async () => (await fetch(`${url}/connectors`).catch(() => undefined))?.ok ?? false;
    let worker: ChildProcess = startWorker();
    try {
      await eventually(answers, 'the worker process', 60_000);
      const response = await fetch(`${url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'crash',
          config: {
            ...h.jdbc,
            topics: topic,
            'auto.create': 'true',
            'insert.mode': 'upsert',
            'pk.mode': 'record_value',
            'pk.fields': 'id',
            'batch.size': '500',
          },
        }),
      });
      assert.equal(response.status, 201);
      // 20 rounds over 1,000 keys: each key's last value is from the last round.
      const keys = 1000;
      const rounds = 20;
      for (let round = 0; round < rounds; round++) {
        const messages = [];
        for (let id = 0; id < keys; id++) messages.push({ value: await value.serialize({ id, n: round * keys + id }) });
        await h.producer.send({ topic, messages });
        if (round === rounds / 2) {
          await eventually(
            async () => Number((await h.sql('SELECT count(*)::int AS c FROM crash').catch(() => []))[0]?.c ?? 0) > 0,
            'some rows',
          );
          worker.kill('SIGKILL');
          await new Promise((resolve) => worker.once('exit', resolve));
        }
      }
      worker = startWorker();
      await eventually(answers, 'the restarted worker', 60_000);
      const expected = (id: number) => (rounds - 1) * keys + id;
      await eventually(
        async () => {
          const rows = await h.sql('SELECT id, n FROM crash');
          return rows.length === keys && rows.every((r) => Number(r.n) === expected(Number(r.id)));
        },
        'the last value of every key',
        60_000,
      );
      const status = (await (await fetch(`${url}/connectors/crash/status`)).json()) as { tasks: { state: string }[] };
      assert.equal(status.tasks[0]?.state, 'RUNNING');
    } finally {
      worker.kill('SIGKILL');
    }
  });
});
