import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './index.ts';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('loadConfig', () => {
  it('gives a local stack on the well-known ports when nothing is set', () => {
    const config = loadConfig({ env: {} });
    assert.deepEqual(config.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(config.schemaRegistryUrl, 'http://127.0.0.1:8081');
    assert.equal(config.ksqldbUrl, 'http://127.0.0.1:8088');
    assert.equal(config.connectUrl, 'http://127.0.0.1:8083');
    assert.equal(config.dashboardUrl, 'http://127.0.0.1:3000');
    assert.equal(config.postgres.embedded, true);
    assert.equal(config.postgres.url, 'postgres://tally:tally@127.0.0.1:5432/tally');
    assert.equal(config.kafka.securityProtocol, 'PLAINTEXT');
    assert.equal(config.kafka.sasl, undefined);
    assert.equal(config.kafka.ssl, undefined);
    assert.equal(path.basename(config.dataDir), '.tally');
  });

  it('derives client addresses from moved ports and host', () => {
    const config = loadConfig({
      env: { TALLY_KAFKA_PORT: '19092', TALLY_HOST: '10.0.0.5', TALLY_POSTGRES_PORT: '6543' },
    });
    assert.deepEqual(config.kafka.brokers, ['10.0.0.5:19092']);
    assert.equal(config.postgres.url, 'postgres://tally:tally@10.0.0.5:6543/tally');
  });

  it('lets flags override environment variables', () => {
    const config = loadConfig({ env: { TALLY_KAFKA_PORT: '19092' }, flags: { 'kafka-port': '29092' } });
    assert.equal(config.ports.kafka, 29092);
  });

  it('uses DATABASE_URL as given and runs no local cluster', () => {
    const config = loadConfig({ env: { DATABASE_URL: 'postgres://u:p@db.example:5433/votes' } });
    assert.equal(config.postgres.embedded, false);
    assert.equal(config.postgres.url, 'postgres://u:p@db.example:5433/votes');
  });

  it('names the variable and the reason for a bad port', () => {
    const [problem, ...rest] = problemsOf(() => loadConfig({ env: { TALLY_KAFKA_PORT: 'ninety' } }));
    assert.equal(rest.length, 0);
    assert.match(problem ?? '', /^TALLY_KAFKA_PORT="ninety" must be a port number/);
    assert.match(problem ?? '', /--kafka-port/);
  });

  it('names the flag when the bad value came from a flag', () => {
    const [problem] = problemsOf(() => loadConfig({ env: {}, flags: { 'dashboard-port': '70000' } }));
    assert.match(problem ?? '', /^--dashboard-port="70000" must be a port number/);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          TALLY_STACK: 'kubernetes',
          KAFKA_BROKERS: 'localhost',
          DATABASE_URL: 'mysql://x',
          KAFKA_SSL_VERIFY: 'maybe',
        },
      }),
    );
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /TALLY_STACK="kubernetes" must be auto, embedded or docker/);
    assert.match(problems.join('\n'), /KAFKA_BROKERS="localhost" must be a comma-separated list of host:port/);
    assert.match(problems.join('\n'), /DATABASE_URL="mysql:\/\/x" must be a URL starting with postgres:\/\//);
    assert.match(problems.join('\n'), /KAFKA_SSL_VERIFY="maybe" must be true or false/);
  });

  it('parses a broker list', () => {
    const config = loadConfig({ env: { KAFKA_BROKERS: 'a.example:9093, b.example:9093' } });
    assert.deepEqual(config.kafka.brokers, ['a.example:9093', 'b.example:9093']);
  });

  it('carries SASL_SSL settings for a remote cluster', () => {
    const config = loadConfig({
      env: {
        KAFKA_BROKERS: 'pkc-1.example.cloud:9092',
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'key',
        KAFKA_SASL_PASSWORD: 'secret',
        KAFKA_SSL_CA_LOCATION: '/etc/ssl/ca.pem',
      },
    });
    assert.deepEqual(config.kafka.sasl, { mechanism: 'SCRAM-SHA-512', username: 'key', password: 'secret' });
    assert.deepEqual(config.kafka.ssl, { verify: true, caLocation: '/etc/ssl/ca.pem' });
  });

  it('refuses SASL without credentials', () => {
    const problems = problemsOf(() => loadConfig({ env: { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' } }));
    assert.match(problems[0] ?? '', /KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT needs KAFKA_SASL_USERNAME/);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ env: { TALLY_KAFKA_PORT: '' } }).ports.kafka, 9092);
  });

  it('configures the embedded broker, with SASL users when given', () => {
    const plain = loadConfig({ env: { TALLY_DATA_DIR: '/srv/tally' } });
    assert.deepEqual(plain.broker, {
      host: '127.0.0.1',
      port: 9092,
      advertisedHost: '127.0.0.1',
      dataDir: '/srv/tally/kafka',
      autoCreateTopics: true,
      defaultPartitions: 1,
      logRetentionMs: -1,
      groupInitialRebalanceDelayMs: 0,
    });
    assert.equal(loadConfig({ env: { TALLY_KAFKA_LOG_RETENTION_MS: '604800000' } }).broker.logRetentionMs, 604_800_000);
    const sasl = loadConfig({ env: { TALLY_KAFKA_SASL_USERS: 'alice:wonder:land, bob:builder' } });
    assert.deepEqual(sasl.broker.saslUsers, { alice: 'wonder:land', bob: 'builder' });
    const [problem] = problemsOf(() => loadConfig({ env: { TALLY_KAFKA_SASL_USERS: 'alice' } }));
    assert.match(problem ?? '', /^TALLY_KAFKA_SASL_USERS="alice" must be user:password pairs/);
  });
});
