// `tally connectors apply` with the project's own connect/connectors/ against the embedded worker,
// set up as `tally connect` sets it up (config.providers=env, the stack's variables).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../config/index.ts';
import { temporaryDir, testLogger } from '../../test/support/index.ts';
import { eventually, startConnectHarness } from '../test/harness.ts';
import { startConnectWorker } from '../worker/server.ts';
import { ENV_PROVIDER_WORKER_PROPS, embeddedStackEnv } from '../worker/stack-env.ts';
import { applyConnectors } from './apply.ts';
import { DEFAULT_CONNECTORS_DIR, readConnectorDir, readConnectorFile } from './connector-files.ts';

describe('connector files', () => {
  test('each file is <name>.json in the create shape with string values; problems name the file', () => {
    const dir = temporaryDir('tally-connectors-');
    const write = (file: string, body: unknown) => {
      const full = path.join(dir, file);
      fs.writeFileSync(full, typeof body === 'string' ? body : JSON.stringify(body));
      return full;
    };
    const ok = write('s.json', { name: 's', config: { topics: 't' } });
    assert.deepEqual(readConnectorFile(ok), { file: ok, name: 's', config: { topics: 't' } });
    const problem = (file: string, body: unknown, pattern: RegExp) =>
      assert.throws(
        () => readConnectorFile(write(file, body)),
        (e: Error) => e instanceof UserError && e.message.includes(file) && pattern.test(e.message),
      );
    problem('broken.json', '{"name": ', /not a JSON connector config/);
    problem('flat.json', { topics: 't' }, /needs a "name"/);
    problem('other.json', { name: 'x', config: {} }, /name the file x\.json/);
    problem('n.json', { name: 'n', config: { 'batch.size': 10 } }, /quote batch\.size=10/);
    assert.throws(() => readConnectorDir(temporaryDir('tally-empty-')), /has no connector configs/);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the name of Kafka's config provider syntax.
  test('the project configs: every connector sinks with quote.sql.identifiers=never through ${env:...} URLs', () => {
    const files = readConnectorDir(DEFAULT_CONNECTORS_DIR);
    const topics = files.flatMap((f) => f.config.topics?.split(',') ?? []);
    assert.equal(new Set(topics).size, topics.length, 'a topic is sunk by two connectors');
    for (const { name, config } of files) {
      assert.equal(config['quote.sql.identifiers'], 'never', name);
      assert.match(config['connection.url'] ?? '', /^\$\{env:\w+\}$/, name);
      assert.match(config['value.converter.schema.registry.url'] ?? '', /^\$\{env:\w+\}$/, name);
      assert.equal(config['errors.tolerance'], 'all', name);
      assert.ok(config['errors.deadletterqueue.topic.name'], name);
    }
  });
});

describe('tally connectors apply', async () => {
  const h = await startConnectHarness();
  const pgUrl = new URL(h.postgres.url);
  // What `tally connect` hands its env config provider on the embedded stack.
  const env = embeddedStackEnv(
    {
      postgres: {
        url: h.postgres.url,
        user: decodeURIComponent(pgUrl.username),
        password: decodeURIComponent(pgUrl.password),
      } as never,
      schemaRegistryUrl: h.registry.url,
    },
    {},
  );
  const worker = await startConnectWorker({
    kafka: h.kafka,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('connect-apply'),
    schemaRegistryUrl: h.registry.url,
    configTopic: 'apply-connect-configs',
    statusTopic: 'apply-connect-status',
    workerProps: ENV_PROVIDER_WORKER_PROPS,
    env,
  });
  h.stopBeforeBroker(() => worker.stop());
  const files = readConnectorDir(DEFAULT_CONNECTORS_DIR);

  test('creates every connector, then updates them unchanged; the stored configs are the files', async () => {
    const first = await applyConnectors(worker.url, DEFAULT_CONNECTORS_DIR);
    assert.deepEqual(
      first.map((a) => [a.name, a.action]),
      files.map((f) => [f.name, 'created']),
    );
    const again = await applyConnectors(worker.url, DEFAULT_CONNECTORS_DIR);
    assert.deepEqual(
      again.map((a) => a.action),
      files.map(() => 'updated'),
    );
    for (const { name, config } of files) {
      const stored = await (await fetch(`${worker.url}/connectors/${name}/config`)).json();
      assert.deepEqual(stored, { ...config, name });
    }
    await assert.rejects(applyConnectors('http://127.0.0.1:9', DEFAULT_CONNECTORS_DIR), /unreachable/);
  });

  test('the configs write ksqlDB-shaped records into the contract tables', async () => {
    const optional = (type: unknown) => ['null', type];
    const ksqlRecord = (fields: [string, unknown][]) => ({
      type: 'record',
      name: 'KsqlDataSourceSchema',
      namespace: 'io.confluent.ksql.avro_schemas',
      fields: fields.map(([name, type]) => ({ name, type: optional(type), default: null })),
    });
    const candidateKey = h.avro('votes_by_candidate', optional('string'), true);
    const candidateValue = h.avro(
      'votes_by_candidate',
      ksqlRecord([
        ['PARTY_ID', 'string'],
        ['VOTES', 'long'],
      ]),
    );
    await h.producer.send({
      topic: 'votes_by_candidate',
      messages: [
        {
          key: await candidateKey.serialize('c1'),
          value: await candidateValue.serialize({ PARTY_ID: 'p1', VOTES: 4 }),
        },
      ],
    });
    const compositeKey = h.avro(
      'votes_by_education_party',
      ksqlRecord([
        ['EDUCATION', 'string'],
        ['PARTY_ID', 'string'],
      ]),
      true,
    );
    const compositeValue = h.avro('votes_by_education_party', ksqlRecord([['VOTES', 'long']]));
    await h.producer.send({
      topic: 'votes_by_education_party',
      messages: [
        {
          key: await compositeKey.serialize({ EDUCATION: 'tertiary', PARTY_ID: 'p1' }),
          value: await compositeValue.serialize({ VOTES: 9 }),
        },
      ],
    });
    const hourKey = await h.avro('votes_by_hour', optional('string'), true).serialize('all');
    const hourValue = h.avro(
      'votes_by_hour',
      ksqlRecord([
        ['HOUR_START', 'long'],
        ['VOTES', 'long'],
      ]),
    );
    const window = Buffer.alloc(8);
    window.writeBigInt64BE(3_600_000n);
    await h.producer.send({
      topic: 'votes_by_hour',
      messages: [
        {
          key: Buffer.concat([hourKey, window]),
          value: await hourValue.serialize({ HOUR_START: 3_600_000, VOTES: 12 }),
        },
      ],
    });
    const rows = async (sql: string) => h.sql(sql).catch(() => []);
    const candidate = await eventually(
      async () => (await rows('SELECT candidate_id, party_id, votes FROM votes_by_candidate'))[0],
      'votes_by_candidate',
    );
    assert.deepEqual(
      { ...candidate, votes: Number(candidate.votes) },
      { candidate_id: 'c1', party_id: 'p1', votes: 4 },
    );
    const composite = await eventually(
      async () => (await rows('SELECT education, party_id, votes FROM votes_by_education_party'))[0],
      'votes_by_education_party',
    );
    assert.deepEqual(
      { ...composite, votes: Number(composite.votes) },
      { education: 'tertiary', party_id: 'p1', votes: 9 },
    );
    const hour = await eventually(
      async () => (await rows('SELECT hour_start, votes FROM votes_by_hour'))[0],
      'votes_by_hour',
    );
    assert.deepEqual([Number(hour.hour_start), Number(hour.votes)], [3_600_000, 12]);
  });
});
