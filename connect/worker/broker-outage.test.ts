/**
 * A broker that goes away for longer than kafkajs retries (a kill -9 and a
 * restart in the stack): Connect's consumers retry a missing broker for ever,
 * so a sink task must stay RUNNING and go on from its committed offsets
 * once the broker is back, not end FAILED waiting for a REST restart.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { eventually, ROW_SCHEMA as rowSchema, startConnectHarness } from '../test/harness.ts';

const h = await startConnectHarness();

/** A JDBC sink connector upserting topic `name` into `table`, with how to send rows to it and count them. */
async function upsertConnector(name: string, table: string) {
  const value = h.avro(name, rowSchema);
  const send = async (from: number, to: number) => {
    const messages = [];
    for (let id = from; id < to; id++) messages.push({ value: await value.serialize({ id, n: id * 3 }) });
    await h.producer.send({ topic: name, messages });
  };
  const rows = async () => Number((await h.sql(`SELECT count(*)::int AS c FROM ${table}`))[0]?.c ?? 0);
  const config = {
    ...h.jdbc,
    topics: name,
    'table.name.format': table,
    'auto.create': 'true',
    'insert.mode': 'upsert',
    'pk.mode': 'record_value',
    'pk.fields': 'id',
  };
  assert.equal((await h.http('POST', '/connectors', { name, config })).status, 201);
  return { send, rows };
}

/** Starts the broker again; rows `from`..`to` sent then reach the table, and the task is still RUNNING. */
async function restartAndExpectRecovery(
  name: string,
  send: (from: number, to: number) => Promise<void>,
  rows: () => Promise<number>,
  from: number,
  to: number,
): Promise<void> {
  await h.broker.startAgain();
  await eventually(async () => {
    await send(from, to);
    return true;
  }, 'the producer reaching the restarted broker');
  await eventually(async () => (await rows()) === to, 'the rows sent after the restart', 90_000);
  const status = await h.http('GET', `/connectors/${name}/status`);
  assert.equal(status.body.tasks[0].state, 'RUNNING', JSON.stringify(status.body));
}

describe('Connect worker, broker outage', () => {
  test('the broker stopped for 20 s and restarted: the task stays RUNNING and sinks what comes after', async () => {
    const { send, rows } = await upsertConnector('broker-outage', 'broker_outage');
    await send(0, 500);
    await eventually(async () => (await rows().catch(() => 0)) === 500, 'the first 500 rows');

    // Down for longer than the consumer's retries (about 10 s), as a broker replaying its log is.
    await h.broker.stop();
    await sleep(20_000);
    await restartAndExpectRecovery('broker-outage', send, rows, 500, 1000);
    const rightValues = await h.sql('SELECT count(*)::int AS c FROM broker_outage WHERE n = id * 3');
    assert.equal(rightValues[0]?.c, 1000);
  });

  test('the broker gone between writing a batch and committing its offsets: the task stays RUNNING and writes the batch again', async () => {
    const { send, rows } = await upsertConnector('broker-outage-commit', 'broker_outage_commit');
    await send(0, 100);
    await eventually(async () => (await rows().catch(() => 0)) === 100, 'the first 100 rows');

    // The table locked, so the task's next write waits; the broker stops meanwhile.
    const locker = new pg.Client({ connectionString: h.postgres.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE broker_outage_commit IN ACCESS EXCLUSIVE MODE');
      await send(100, 200);
      await sleep(2_000);
      await h.broker.stop();
      // The write goes through; committing its offsets finds no broker.
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    await eventually(async () => (await rows()) === 200, 'the batch written while the broker is away');
    await sleep(15_000);
    await restartAndExpectRecovery('broker-outage-commit', send, rows, 200, 300);
  });
});
