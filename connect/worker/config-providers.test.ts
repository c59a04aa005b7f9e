// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${env:NAME} is Kafka's config provider syntax, under test here.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { testLogger } from '../../test/support/index.ts';
import { eventually, startConnectHarness } from '../test/harness.ts';
import {
  ConfigProviderError,
  configProvidersFrom,
  ENV_CONFIG_PROVIDER_CLASS,
  transformConfig,
} from './config-providers.ts';
import { startConnectWorker } from './server.ts';

const envProps = { 'config.providers': 'env', 'config.providers.env.class': ENV_CONFIG_PROVIDER_CLASS };

describe('config providers', () => {
  test('${env:NAME} resolves from the environment; ${topic} and unknown providers stay as written', () => {
    const providers = configProvidersFrom(envProps, { DB: 'jdbc:postgresql://db:5432/x', USER: 'u' });
    const { config, unresolved } = transformConfig(
      {
        'connection.url': '${env:DB}',
        'connection.user': 'as ${env:USER}!',
        'table.name.format': 'sink_${topic}',
        'connection.password': '${file:/secrets.properties:password}',
        'pk.fields': '${env::USER}',
      },
      providers,
    );
    assert.deepEqual(config, {
      'connection.url': 'jdbc:postgresql://db:5432/x',
      'connection.user': 'as u!',
      'table.name.format': 'sink_${topic}',
      'connection.password': '${file:/secrets.properties:password}',
      'pk.fields': 'u',
    });
    assert.deepEqual(unresolved, []);
    const missing = transformConfig({ 'connection.url': '${env:NOPE}' }, providers);
    assert.deepEqual(missing.unresolved, [{ setting: 'connection.url', reference: '${env:NOPE}' }]);
  });

  test('no providers configured: nothing is resolved; the allowlist limits what env may read', () => {
    assert.equal(transformConfig({ a: '${env:DB}' }, configProvidersFrom({}, { DB: 'x' })).config.a, '${env:DB}');
    const limited = configProvidersFrom(
      { ...envProps, 'config.providers.env.param.allowlist.pattern': 'TALLY_.*' },
      {
        TALLY_A: '1',
        SECRET: '2',
      },
    );
    const { config, unresolved } = transformConfig({ a: '${env:TALLY_A}', b: '${env:SECRET}' }, limited);
    assert.equal(config.a, '1');
    assert.deepEqual(unresolved, [{ setting: 'b', reference: '${env:SECRET}' }]);
    assert.throws(
      () => configProvidersFrom({ 'config.providers': 'vault', 'config.providers.vault.class': 'com.example.Vault' }),
      (error: Error) =>
        error instanceof ConfigProviderError &&
        /config\.providers\.vault\.class=com\.example\.Vault/.test(error.message),
    );
  });
});

describe('a worker with config.providers=env', async () => {
  const h = await startConnectHarness();
  const env = {
    TEST_JDBC_URL: h.jdbc['connection.url'],
    TEST_JDBC_USER: h.jdbc['connection.user'],
    TEST_JDBC_PASSWORD: h.jdbc['connection.password'],
    TEST_REGISTRY_URL: h.registry.url,
  };
  const worker = await startConnectWorker({
    kafka: h.kafka,
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('connect-env'),
    // Converter defaults that do not work: the connector's own ${env:...} settings must be used.
    schemaRegistryUrl: 'http://127.0.0.1:9',
    configTopic: 'env-connect-configs',
    statusTopic: 'env-connect-status',
    workerProps: envProps,
    env,
  });
  after(() => worker.stop());
  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${worker.url}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field.
    return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, any> };
  };

  test('resolves variables when tasks start, and stores and shows the config as written', async () => {
    const topic = 'env_resolved';
    const value = h.avro(topic, { type: 'record', name: 'R', fields: [{ name: 'ID', type: 'int' }] });
    await h.producer.send({ topic, messages: [{ value: await value.serialize({ ID: 7 }) }] });
    const config = {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': '${env:TEST_JDBC_URL}',
      'connection.user': '${env:TEST_JDBC_USER}',
      'connection.password': '${env:TEST_JDBC_PASSWORD}',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': '${env:TEST_REGISTRY_URL}',
      topics: topic,
      'auto.create': 'true',
      'quote.sql.identifiers': 'never',
    };
    const created = await http('PUT', '/connectors/env-sink/config', config);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual((await http('GET', '/connectors/env-sink/config')).body, { ...config, name: 'env-sink' });
    assert.equal(created.body.config['connection.url'], '${env:TEST_JDBC_URL}');
    await eventually(async () => (await h.sql('SELECT id FROM env_resolved').catch(() => []))[0]?.id === 7, 'the row');
    assert.equal((await http('GET', '/connectors/env-sink/status')).body.tasks[0].state, 'RUNNING');
    await http('DELETE', '/connectors/env-sink');
  });

  test('a variable the environment lacks is a 400 naming the setting and the variable', async () => {
    const bad = await http('PUT', '/connectors/env-missing/config', {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': '${env:TALLY_NOT_SET}',
      topics: 't',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /connection\.url refers to \$\{env:TALLY_NOT_SET\}/);
  });
});
