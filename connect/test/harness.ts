/** A broker, PostgreSQL, a registry and a worker for the connect tests, and helpers to produce and wait. */

import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { type Config, loadConfig } from '../../config/index.ts';
import { startTestBroker } from '../../test/support/broker.ts';
import { testLogger } from '../../test/support/index.ts';
import { query, startTestPostgres } from '../../test/support/postgres.ts';
import { SchemaRegistryClient } from '../schema-registry/client.ts';
import { startSchemaRegistry } from '../schema-registry/server.ts';
import { RegistrySerializer } from '../serde/index.ts';
import { startConnectWorker } from '../worker/server.ts';

/** The Avro value the worker tests write: an id and a count. */
export const ROW_SCHEMA = {
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'n', type: 'long' },
  ],
};

export async function startConnectHarness() {
  // node:test runs after() hooks in the order they were registered: this one, registered before the broker's and
  // PostgreSQL's, stops the clients and the worker while the broker is still up (no ECONNREFUSED retries at exit).
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const postgres = await startTestPostgres();
  const kafka: Config['kafka'] = loadConfig({ env: { KAFKA_BROKERS: broker.address } }).kafka;
  const registry = await startSchemaRegistry({ kafka, host: '127.0.0.1', port: 0, logger: testLogger('registry') });
  stops.push(() => registry.stop());
  const worker = await startConnectWorker({
    kafka,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('connect'),
    schemaRegistryUrl: registry.url,
  });
  const client = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
  const producer: Producer = client.producer();
  stops.push(() => worker.stop());
  await producer.connect();
  stops.push(() => producer.disconnect());
  const pgUrl = new URL(postgres.url);
  const jdbcUrl = `jdbc:postgresql://${pgUrl.host}${pgUrl.pathname}`;
  const registryClient = new SchemaRegistryClient(registry.url);
  return {
    broker,
    postgres,
    kafka,
    registry,
    worker,
    producer,
    client,
    registryClient,
    /** Registers a teardown that runs before the broker stops (and before the harness's own, in reverse order). */
    stopBeforeBroker: (stop: () => Promise<void>) => {
      stops.push(stop);
    },
    /** The connector settings every test needs. */
    jdbc: {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': jdbcUrl,
      'connection.user': decodeURIComponent(pgUrl.username),
      'connection.password': decodeURIComponent(pgUrl.password),
    },
    avro: (topic: string, schema: object, isKey = false) =>
      new RegistrySerializer({ registry: registryClient, topic, isKey, schema }),
    sql: async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
      (await query<T>(postgres.url, text, values)).rows,
    http: async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${worker.url}${path}`, {
        method,
        ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Polls until check() returns a truthy value, or fails with what it last saw. */
export async function eventually<T>(
  check: () => Promise<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result) return result as NonNullable<T>;
      last = result;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${String(last)}`);
    await sleep(100);
  }
}
