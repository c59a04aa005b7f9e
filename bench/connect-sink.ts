/**
 * Rows per second upserted by the JDBC sink from a topic into PostgreSQL (a
 * 6-column table, AVRO values), beside the same upserts done directly with
 * `pg` in the same run. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/connect-sink.ts [records=300000] [keys=100000]
 *
 * The broker runs in its own process (`tally broker`); the registry and the
 * worker run in this one; PostgreSQL is a throwaway cluster (or DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { loadConfig, PROJECT_ROOT } from '../config/index.ts';
import { RegistrySerializer, SchemaRegistryClient, startConnectWorker, startSchemaRegistry } from '../connect/index.ts';
import { createLogger } from '../logging/index.ts';
import { postgresService } from '../stack/postgres.ts';
import { Supervisor } from '../stack/supervisor.ts';

const records = Number(process.argv[2] ?? 300_000);
const keys = Number(process.argv[3] ?? 100_000);
const logger = createLogger('bench', { level: 'error' });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-connect-'));
fs.chmodSync(dir, 0o755);
const kafkaPort = await freePort();
const broker = spawn(path.join(PROJECT_ROOT, 'bin', 'tally'), ['broker'], {
  env: { ...process.env, TALLY_DATA_DIR: dir, TALLY_KAFKA_PORT: String(kafkaPort), TALLY_LOG_LEVEL: 'error' },
  stdio: 'ignore',
});
let supervisor: Supervisor | undefined;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const config = loadConfig({ env: { TALLY_DATA_DIR: dir, TALLY_POSTGRES_PORT: String(await freePort()) } });
  supervisor = new Supervisor({ logDir: config.logDir, host: config.host, logger });
  await supervisor.start([postgresService(config.postgres, config.host)]);
  databaseUrl = config.postgres.url;
}
const kafka = loadConfig({ env: { KAFKA_BROKERS: `127.0.0.1:${kafkaPort}` } }).kafka;
const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING });
for (;;) {
  try {
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    break;
  } catch {
    await sleep(200);
  }
}
const registry = await startSchemaRegistry({ kafka, host: '127.0.0.1', port: 0, logger });
const worker = await startConnectWorker({ kafka, host: '127.0.0.1', port: 0, logger, schemaRegistryUrl: registry.url });

const schema = {
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'candidate', type: 'string' },
    { name: 'party', type: 'string' },
    { name: 'votes', type: 'long' },
    { name: 'share', type: 'double' },
    { name: 'updated_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};
const row = (i: number) => ({
  id: i % keys,
  candidate: `candidate-${i % keys}`,
  party: `party-${i % 7}`,
  votes: i,
  share: (i % 1000) / 10,
  updated_at: 1_700_000_000_000 + i,
});
const serializer = new RegistrySerializer({ registry: new SchemaRegistryClient(registry.url), topic: 'bench', schema });
const id = await serializer.schemaId();
const producer = client.producer();
await producer.connect();
for (let start = 0; start < records; start += 10_000) {
  const messages = [];
  for (let i = start; i < Math.min(records, start + 10_000); i++)
    messages.push({ value: serializer.serializeWithId(id, row(i)) });
  await producer.send({ topic: 'bench', messages });
}
await producer.disconnect();

const url = new URL(databaseUrl);
const began = performance.now();
await fetch(`${worker.url}/connectors`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'bench',
    config: {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': `jdbc:postgresql://${url.host}${url.pathname}`,
      'connection.user': decodeURIComponent(url.username),
      'connection.password': decodeURIComponent(url.password),
      topics: 'bench',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
    },
  }),
});
const admin = client.admin();
await admin.connect();
for (;;) {
  const [offsets] = await admin.fetchOffsets({ groupId: 'connect-bench', topics: ['bench'] });
  if (Number(offsets?.partitions[0]?.offset ?? -1) >= records) break;
  await sleep(50);
}
const sinkSeconds = (performance.now() - began) / 1000;
await admin.disconnect();

// The same upserts straight through pg: unnest batches of 3,000 rows, one transaction each.
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
await db.query(
  'CREATE TABLE direct (id int PRIMARY KEY, candidate text NOT NULL, party text NOT NULL, votes bigint NOT NULL, share double precision NOT NULL, updated_at timestamp NOT NULL)',
);
const directStart = performance.now();
for (let start = 0; start < records; start += 3000) {
  const byKey = new Map<number, ReturnType<typeof row>>();
  for (let i = start; i < Math.min(records, start + 3000); i++) byKey.set(row(i).id, row(i));
  const rows = [...byKey.values()];
  await db.query('BEGIN');
  await db.query({
    name: 'direct',
    text: `INSERT INTO direct SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::float8[], $6::timestamp[])
           ON CONFLICT (id) DO UPDATE SET candidate = EXCLUDED.candidate, party = EXCLUDED.party, votes = EXCLUDED.votes, share = EXCLUDED.share, updated_at = EXCLUDED.updated_at`,
    values: [
      rows.map((r) => r.id),
      rows.map((r) => r.candidate),
      rows.map((r) => r.party),
      rows.map((r) => r.votes),
      rows.map((r) => r.share),
      rows.map((r) => new Date(r.updated_at).toISOString().slice(0, -1)),
    ],
  });
  await db.query('COMMIT');
}
const directSeconds = (performance.now() - directStart) / 1000;
const [check] = (await db.query('SELECT count(*)::int AS c FROM bench')).rows;
await db.end();

const rate = (s: number) => Math.round(records / s).toLocaleString('en');
console.log(
  `records ${records.toLocaleString('en')} over ${keys.toLocaleString('en')} keys, 6 columns, ${os.cpus().length} cores`,
);
console.log(
  `JDBC sink (Kafka -> Avro -> upsert, offsets committed): ${rate(sinkSeconds)} rows/s (${sinkSeconds.toFixed(2)} s; table has ${check?.c} rows)`,
);
console.log(
  `direct pg upserts (same batches, no Kafka):             ${rate(directSeconds)} rows/s (${directSeconds.toFixed(2)} s)`,
);

await worker.stop();
await registry.stop();
broker.kill('SIGTERM');
await supervisor?.stop();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
