import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config/index.ts';
import { startTestBroker } from '../../test/support/broker.ts';
import { testLogger } from '../../test/support/index.ts';
import { RegistryDeserializer, RegistrySerializer } from '../serde/index.ts';
import { SchemaRegistryClient, type SchemaRegistryError } from './client.ts';
import { type SchemaRegistryServer, startSchemaRegistry } from './server.ts';

/** What the registry answers: an entity or {error_code, message}. */
type RegistryReply = { error_code?: number; message?: string; version?: number; [key: string]: unknown };

const vote = {
  type: 'record',
  name: 'Vote',
  fields: [
    { name: 'vote_id', type: 'string' },
    { name: 'candidate_id', type: 'int' },
    { name: 'cast_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};
const voteWithMethod = {
  ...vote,
  fields: [...vote.fields, { name: 'method', type: ['null', 'string'], default: null }],
};
const voteNeedsMethod = { ...vote, fields: [...vote.fields, { name: 'method', type: 'string' }] };

// Started at the top level: startTestBroker registers its own after() hook.
const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const kafka = loadConfig({ env: { KAFKA_BROKERS: broker.address } }).kafka;

describe('schema registry', () => {
  let registry: SchemaRegistryServer;
  let client: SchemaRegistryClient;
  const start = () => startSchemaRegistry({ kafka, host: '127.0.0.1', port: 0, logger: testLogger('registry') });

  before(async () => {
    registry = await start();
    client = new SchemaRegistryClient(registry.url);
  });
  after(async () => registry.stop());

  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${registry.url}${path}`, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as RegistryReply };
  };

  test('registers versions, answers them by subject, version and id, and reuses ids for identical schemas', async () => {
    const id1 = await client.register('votes-value', JSON.stringify(vote));
    const id2 = await client.register('votes-value', JSON.stringify(voteWithMethod));
    assert.notEqual(id1, id2);
    assert.equal(await client.register('votes-value', JSON.stringify(vote)), id1);
    assert.equal(await client.register('other-value', JSON.stringify(vote)), id1, 'same schema, same id');
    assert.deepEqual(await client.listVersions('votes-value'), [1, 2]);
    const latest = await client.getVersion('votes-value');
    assert.equal(latest.version, 2);
    assert.equal(latest.id, id2);
    assert.deepEqual(JSON.parse((await client.getSchemaById(id1)).schema), vote);
    assert.deepEqual(await client.listSubjects(), ['other-value', 'votes-value']);
    const lookup = await http('POST', '/subjects/votes-value', { schema: JSON.stringify(vote) });
    assert.equal(lookup.body.version, 1);
  });

  test('answers Confluent error codes', async () => {
    assert.deepEqual((await http('GET', '/subjects/nope/versions')).body.error_code, 40401);
    assert.equal((await http('GET', '/subjects/votes-value/versions/9')).body.error_code, 40402);
    assert.equal((await http('GET', '/subjects/votes-value/versions/9')).status, 404);
    assert.equal((await http('GET', '/schemas/ids/999')).body.error_code, 40403);
    const invalid = await http('POST', '/subjects/x-value/versions', { schema: '{"type":"record"' });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error_code, 42201);
    const incompatible = await http('POST', '/subjects/votes-value/versions', {
      schema: JSON.stringify(voteNeedsMethod),
    });
    assert.equal(incompatible.status, 409);
    assert.equal(incompatible.body.error_code, 409);
    assert.match(incompatible.body.message ?? '', /incompatible/);
  });

  test('compatibility: BACKWARD by default, NONE per subject, global config', async () => {
    assert.deepEqual((await http('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    assert.equal((await http('GET', '/config/votes-value')).body.error_code, 40408);
    assert.equal(await client.testCompatibility('votes-value', JSON.stringify(voteNeedsMethod)), false);
    assert.deepEqual((await http('PUT', '/config/votes-value', { compatibility: 'NONE' })).body, {
      compatibility: 'NONE',
    });
    assert.equal(await client.getCompatibility('votes-value'), 'NONE');
    assert.ok((await client.register('votes-value', JSON.stringify(voteNeedsMethod))) > 0);
    assert.equal((await http('PUT', '/config', { compatibility: 'SIDEWAYS' })).body.error_code, 42203);
    assert.deepEqual((await http('PUT', '/config', { compatibility: 'FULL' })).body, { compatibility: 'FULL' });
    await client.setCompatibility('BACKWARD');
  });

  test('JSON schemas: registered with schemaType JSON, checked for backward compatibility', async () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
      required: ['id'],
    };
    const id = await client.register('people-value', JSON.stringify(schema), 'JSON');
    const byId = await http('GET', `/schemas/ids/${id}`);
    assert.equal(byId.body.schemaType, 'JSON');
    const newlyRequired = { ...schema, required: ['id', 'name'] };
    await assert.rejects(
      client.register('people-value', JSON.stringify(newlyRequired), 'JSON'),
      (e: SchemaRegistryError) => e.status === 409,
    );
  });

  test('serializers round-trip AVRO and JSON_SR through the wire format', async () => {
    const avro = new RegistrySerializer({ registry: client, topic: 'rt', schema: voteWithMethod });
    const bytes = await avro.serialize({ vote_id: 'v1', candidate_id: 7, cast_at: 1_700_000_000_000, method: 'post' });
    assert.equal(bytes[0], 0);
    assert.equal(bytes.readInt32BE(1), await avro.schemaId());
    const reader = new RegistryDeserializer(new SchemaRegistryClient(registry.url));
    const decoded = await reader.deserialize(bytes);
    assert.deepEqual(
      { ...(decoded.value as object) },
      { vote_id: 'v1', candidate_id: 7, cast_at: 1_700_000_000_000, method: 'post' },
    );
    const json = new RegistrySerializer({
      registry: client,
      topic: 'rt-json',
      schemaType: 'JSON',
      schema: { type: 'object', properties: { n: { type: 'integer' } } },
    });
    const jsonBytes = await json.serialize({ n: 3 });
    assert.equal(jsonBytes.subarray(5).toString(), '{"n":3}');
    assert.deepEqual((await reader.deserialize(jsonBytes)).value, { n: 3 });
    assert.throws(() => avro.serializeWithId(1, { vote_id: 1 }), /does not match the Avro schema/);
    await assert.rejects(reader.deserialize(Buffer.from('{"n":3}')), /magic byte/);
  });

  test('schemas survive a restart: the _schemas topic is read to its end', async () => {
    const before = await client.getVersion('votes-value');
    await registry.stop();
    registry = await start();
    const again = new SchemaRegistryClient(registry.url);
    assert.deepEqual(await again.getVersion('votes-value'), before);
    assert.equal(await again.getCompatibility('votes-value'), 'NONE');
    const id = await again.register('fresh-value', JSON.stringify({ type: 'string' }));
    assert.ok(id > before.id, 'ids keep counting after a restart');
  });
});
