// The docker stack cannot run where no Docker engine answers, so its file is
// checked for the structure that `make up` relies on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../config/index.ts';
import { COMPOSE_FILE } from './docker.ts';

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  restart?: string;
  environment?: Record<string, string | number>;
  profiles?: string[];
}

const compose = parse(fs.readFileSync(COMPOSE_FILE, 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has every service of the stack', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'connect',
      'connectors',
      'kafka',
      'ksql-migrations',
      'ksqldb-cli',
      'ksqldb-server',
      'postgres',
      'schema-registry',
    ]);
  });

  it('uses the real Confluent images, each at a pinned tag', () => {
    const expected: Record<string, string> = {
      kafka: 'confluentinc/cp-kafka',
      'schema-registry': 'confluentinc/cp-schema-registry',
      'ksqldb-server': 'confluentinc/cp-ksqldb-server',
      'ksqldb-cli': 'confluentinc/cp-ksqldb-cli',
      postgres: 'postgres',
    };
    for (const [name, service] of Object.entries(services)) {
      const image = service.image ?? '';
      assert.match(
        image,
        /^[\w./-]+:\d+(\.\d+)+(-\d+(\.\d+)+|-alpine)?$/,
        `${name} must pin an exact version, not "${image}"`,
      );
      if (expected[name]) assert.equal(image.split(':')[0], expected[name]);
    }
  });

  it('runs Kafka in KRaft mode, without ZooKeeper', () => {
    const env = services.kafka?.environment ?? {};
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.ok(env.CLUSTER_ID);
    assert.ok(!Object.keys(env).some((k) => k.includes('ZOOKEEPER')));
    assert.match(String(env.KAFKA_ADVERTISED_LISTENERS), /127\.0\.0\.1:9092/);
  });

  it('builds Connect from cp-kafka-connect with the JDBC connector at a pinned version', () => {
    const connect = services.connect;
    assert.ok(connect?.build);
    assert.match(connect.build.args?.JDBC_CONNECTOR_VERSION ?? '', /^\d+\.\d+\.\d+$/);
    const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, connect.build.context, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM confluentinc\/cp-kafka-connect:\$\{CP_VERSION\}$/m);
    assert.match(
      dockerfile,
      /confluent-hub install --no-prompt "confluentinc\/kafka-connect-jdbc:\$\{JDBC_CONNECTOR_VERSION\}"/,
    );
  });

  it('publishes the same ports as the embedded stack, on 127.0.0.1 only', () => {
    const published = Object.fromEntries(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([name, s]) => [name, s.ports]),
    );
    assert.deepEqual(published, {
      kafka: ['127.0.0.1:9092:9092'],
      'schema-registry': ['127.0.0.1:8081:8081'],
      postgres: ['127.0.0.1:5432:5432'],
      connect: ['127.0.0.1:8083:8083'],
      'ksqldb-server': ['127.0.0.1:8088:8088'],
    });
  });

  it('gives every long-running service a health check, and starts it after the healthy services it needs', () => {
    for (const name of ['kafka', 'schema-registry', 'postgres', 'connect', 'ksqldb-server']) {
      assert.ok(services[name]?.healthcheck?.test.length, `${name} has no health check`);
    }
    const needs = (name: string) =>
      Object.entries(services[name]?.depends_on ?? {}).map(([dep, { condition }]) => `${dep}:${condition}`);
    assert.deepEqual(needs('schema-registry'), ['kafka:service_healthy']);
    assert.deepEqual(needs('connect').sort(), [
      'kafka:service_healthy',
      'postgres:service_healthy',
      'schema-registry:service_healthy',
    ]);
    assert.deepEqual(needs('ksqldb-server').sort(), [
      'connect:service_healthy',
      'kafka:service_healthy',
      'schema-registry:service_healthy',
    ]);
    assert.deepEqual(needs('connectors').sort(), [
      'connect:service_healthy',
      'ksql-migrations:service_completed_successfully',
    ]);
  });

  it('has ksqlDB write its processing log to a topic with a stream over it (the malformed-vote count reads it)', () => {
    const env = services['ksqldb-server']?.environment ?? {};
    assert.equal(String(env.KSQL_KSQL_LOGGING_PROCESSING_TOPIC_AUTO_CREATE), 'true');
    assert.equal(String(env.KSQL_KSQL_LOGGING_PROCESSING_STREAM_AUTO_CREATE), 'true');
  });

  it('has one-shot services that apply ksql/migrations and connect/connectors', () => {
    for (const name of ['ksql-migrations', 'connectors']) {
      assert.equal(services[name]?.restart, 'no');
      // Only when asked: `tally up` creates the election's topics first, which the source streams need.
      assert.deepEqual(services[name]?.profiles, ['setup']);
    }
    assert.ok(services['ksql-migrations']?.volumes?.includes('./ksql:/ksql:ro'));
    assert.ok(services.connectors?.volumes?.includes('./connect/connectors:/connectors:ro'));
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, 'ksql', 'ksql-migrations.docker.properties')));
  });

  it('lets connector configs read the stack-specific URLs through the env config provider', () => {
    const env = services.connect?.environment ?? {};
    assert.equal(env.CONNECT_CONFIG_PROVIDERS, 'env');
    assert.equal(
      env.CONNECT_CONFIG_PROVIDERS_ENV_CLASS,
      'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    );
    const connectorsDir = path.join(PROJECT_ROOT, 'connect', 'connectors');
    const files = fs.readdirSync(connectorsDir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0, 'connect/connectors/ has no connector configs');
    for (const file of files) {
      const text = fs.readFileSync(path.join(connectorsDir, file), 'utf8');
      for (const [, variable] of text.matchAll(/\$\{env:([A-Za-z0-9_]+)\}/g)) {
        assert.ok(env[variable as string], `${file} reads \${env:${variable}}, which the connect service does not set`);
      }
    }
  });

  it('keeps data in named volumes', () => {
    assert.deepEqual(Object.keys(compose.volumes).sort(), ['kafka-data', 'postgres-data']);
    assert.ok(services.kafka?.volumes?.includes('kafka-data:/var/lib/kafka/data'));
    assert.ok(services.postgres?.volumes?.includes('postgres-data:/var/lib/postgresql/data'));
  });
});
