/**
 * The ksqlDB server's transient queries, beside baselines measured in the
 * same run. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/ksql-queries.ts [keys=100000] [subscribers=1000]
 *
 * - pull queries by key on a table of `keys` keys (a SOURCE table, so the
 *   server materializes it): p50 / p99 latency and queries/s, in process
 *   (parse, plan, lookup) and over HTTP/2 from a client process of its own
 *   (one request at a time, then 16 and 64 in flight); baseline: the same
 *   lookups straight on a Map;
 * - `subscribers` concurrent push queries (EMIT CHANGES) over HTTP/2, each
 *   receiving every change: the time from produce to the last subscriber
 *   receiving it; baseline: produce to one plain kafkajs consumer.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { startKsqlRestServer } from '../engine/server/app.ts';
import { createLogger } from '../logging/index.ts';
import { startBrokerProcess } from './support/broker-process.ts';

const KEYS = Number(process.argv[2] ?? 100_000);
const SUBSCRIBERS = Number(process.argv[3] ?? 1_000);
const LOOKUPS = 20_000;
const CHANGES = 20;
const LOAD_SCRIPT = path.join(import.meta.dirname, 'support', 'pull-load.ts');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function report(name: string, latenciesMs: number[], totalMs: number, note = ''): void {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const rate = Math.round(latenciesMs.length / (totalMs / 1000)).toLocaleString('en');
  console.log(
    `${name.padEnd(46)} p50 ${percentile(sorted, 50).toFixed(3).padStart(8)} ms  p99 ${percentile(sorted, 99).toFixed(3).padStart(8)} ms  ${rate.padStart(10)} /s${note ? `  ${note}` : ''}`,
  );
}

const keyOf = (i: number) => `key-${i}`;
const randomKey = () => keyOf(Math.floor(Math.random() * KEYS));

const broker = await startBrokerProcess('ksql-queries');
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-ksql-'));
const logger = createLogger('bench-ksql', { level: 'error', stderr: true });
const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer();
await admin.connect();
await producer.connect();
await admin.createTopics({
  waitForLeaders: true,
  topics: [
    { topic: 'bench_keys', numPartitions: 1 },
    { topic: 'bench_changes', numPartitions: 1 },
  ],
});

console.log(`loading ${KEYS.toLocaleString('en')} keys...`);
for (let i = 0; i < KEYS; i += 5_000) {
  const messages = [];
  for (let j = i; j < Math.min(KEYS, i + 5_000); j++) {
    messages.push({ key: keyOf(j), value: JSON.stringify({ N: j, NAME: `name ${j}` }) });
  }
  await producer.send({ topic: 'bench_keys', messages });
}

const server = await startKsqlRestServer({
  bootstrapServers: [broker.address],
  stateDir,
  host: '127.0.0.1',
  port: 0,
  logger,
});
const queries = server.streaming.queries;
const ksql = async (sql: string) => {
  const response = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: sql }),
  });
  if (response.status !== 200) throw new Error(await response.text());
};
await ksql(
  `CREATE SOURCE TABLE bench_table (id STRING PRIMARY KEY, n BIGINT, name STRING) WITH (kafka_topic='bench_keys', value_format='JSON');
   CREATE STREAM bench_changes (id STRING KEY, sent BIGINT) WITH (kafka_topic='bench_changes', value_format='JSON');`,
);

// ---------------------------------------------------------------- pull queries
{
  const started = performance.now();
  await queries.pull(queries.prepare(`SELECT * FROM bench_table WHERE id = '${keyOf(0)}';`).query);
  console.log(`view of ${KEYS.toLocaleString('en')} keys ready in ${Math.round(performance.now() - started)} ms`);
  console.log('');
  console.log('pull queries by key');

  // Baseline: the same lookups on a Map of the same rows.
  const map = new Map<string, unknown[]>();
  for (let i = 0; i < KEYS; i++) map.set(keyOf(i), [keyOf(i), i, `name ${i}`]);
  let latencies: number[] = [];
  let start = performance.now();
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const t = performance.now();
    if (map.get(randomKey()) !== undefined) found++;
    latencies.push(performance.now() - t);
  }
  report('baseline: Map.get', latencies, performance.now() - start, `${found} found`);

  latencies = [];
  found = 0;
  start = performance.now();
  for (let i = 0; i < LOOKUPS; i++) {
    const t = performance.now();
    const { query } = queries.prepare(`SELECT * FROM bench_table WHERE id = '${randomKey()}';`);
    found += (await queries.pull(query)).length;
    latencies.push(performance.now() - t);
  }
  report('in process: parse, plan, look up', latencies, performance.now() - start, `${found} found`);

  // A value column pinned by the WHERE clause: through the view's index of that column, beside a full scan
  // (the same rows, found by a filter no index serves).
  for (const [name, where, count] of [
    ['in process: value column, indexed', (n: number) => `n = ${n}`, LOOKUPS / 10],
    ['in process: value column, scanned', (n: number) => `n + 0 = ${n}`, 50],
  ] as const) {
    latencies = [];
    found = 0;
    start = performance.now();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const { query } = queries.prepare(`SELECT * FROM bench_table WHERE ${where(Math.floor(Math.random() * KEYS))};`);
      found += (await queries.pull(query)).length;
      latencies.push(performance.now() - t);
    }
    report(name, latencies, performance.now() - start, `${found} found`);
  }

  // Over HTTP/2, the client in a process of its own.
  const load = async (name: string, count: number, inFlight: number, sessions: number) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        LOAD_SCRIPT,
        server.url,
        'bench_table',
        String(KEYS),
        String(count),
        String(inFlight),
        String(sessions),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    await new Promise((resolve) => child.once('exit', resolve));
    const result = JSON.parse(out) as { latencies: number[]; totalMs: number; missing: number };
    report(name, result.latencies, result.totalMs, result.missing > 0 ? `${result.missing} rows missing` : '');
  };
  await load('HTTP/2 /query-stream, one at a time', LOOKUPS / 4, 1, 1);
  await load('HTTP/2 /query-stream, 16 in flight, 4 sessions', LOOKUPS, 16, 4);
  await load('HTTP/2 /query-stream, 64 in flight, 8 sessions', LOOKUPS, 64, 8);
}

// ---------------------------------------------------------------- push queries
{
  console.log('');
  console.log(`${SUBSCRIBERS.toLocaleString('en')} push subscribers, ${CHANGES} changes`);

  // Baseline: produce to one plain kafkajs consumer.
  const baselineLatencies: number[] = [];
  const consumer = kafka.consumer({ groupId: `bench-baseline-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench_changes', fromBeginning: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const sent = JSON.parse(String(message.value)).SENT as number;
      baselineLatencies.push(Date.now() - sent);
    },
  });
  while (!joined) await sleep(50);
  await sleep(500);
  let start = performance.now();
  for (let i = 0; i < CHANGES; i++) {
    await producer.send({
      topic: 'bench_changes',
      messages: [{ key: `b${i}`, value: JSON.stringify({ SENT: Date.now() }) }],
    });
    while (baselineLatencies.length <= i) await sleep(1);
  }
  report('baseline: one kafkajs consumer', baselineLatencies, performance.now() - start);
  await consumer.disconnect();

  // Subscribers over HTTP/2, 100 streams a session.
  const sessions: http2.ClientHttp2Session[] = [];
  const received = new Map<string, number[]>(); // change id -> arrival times
  let headers = 0;
  for (let s = 0; s < SUBSCRIBERS; s++) {
    if (s % 100 === 0) sessions.push(http2.connect(server.url));
    const stream = (sessions[sessions.length - 1] as http2.ClientHttp2Session).request({
      ':method': 'POST',
      ':path': '/query-stream',
      'content-type': 'application/json',
    });
    stream.setEncoding('utf8');
    let buffered = '';
    let sawHeader = false;
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!sawHeader) {
          sawHeader = true;
          headers++;
          continue;
        }
        const [id] = JSON.parse(line) as [string, number];
        const list = received.get(id) ?? [];
        list.push(Date.now());
        received.set(id, list);
      }
    });
    stream.on('error', () => {});
    stream.end(JSON.stringify({ sql: 'SELECT id, sent FROM bench_changes EMIT CHANGES;', properties: {} }));
  }
  start = performance.now();
  while (headers < SUBSCRIBERS) await sleep(20);
  console.log(
    `${SUBSCRIBERS} subscribers started in ${Math.round(performance.now() - start)} ms (${queries.runningCount} running)`,
  );

  const toAll: number[] = [];
  const toFirst: number[] = [];
  let complete = 0;
  start = performance.now();
  for (let i = 0; i < CHANGES; i++) {
    const id = `c${i}`;
    const sent = Date.now();
    await producer.send({ topic: 'bench_changes', messages: [{ key: id, value: JSON.stringify({ SENT: sent }) }] });
    const deadline = Date.now() + 10_000;
    while ((received.get(id)?.length ?? 0) < SUBSCRIBERS && Date.now() < deadline) await sleep(1);
    const arrivals = received.get(id) ?? [];
    if (arrivals.length === SUBSCRIBERS) complete++;
    toFirst.push(Math.min(...arrivals) - sent);
    toAll.push(Math.max(...arrivals) - sent);
  }
  const total = performance.now() - start;
  report('push: produce to the first subscriber', toFirst, total);
  report(
    `push: produce to all ${SUBSCRIBERS} subscribers`,
    toAll,
    total,
    `${complete}/${CHANGES} changes reached every subscriber`,
  );
  for (const session of sessions) session.destroy();
  await sleep(200);
}

await server.stop();
await producer.disconnect();
await admin.disconnect();
await broker.stop();
fs.rmSync(stateDir, { recursive: true, force: true });
