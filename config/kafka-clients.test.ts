import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { temporaryDir } from '../test/support/index.ts';
import { loadConfig, UserError } from './index.ts';
import { kafkajsOptions, librdkafkaOptions } from './kafka-clients.ts';

describe('Kafka client options', () => {
  it('point both clients at the local broker in plaintext by default', () => {
    const { kafka } = loadConfig({ env: {} });
    assert.deepEqual(kafkajsOptions(kafka), { clientId: 'tally', brokers: ['127.0.0.1:9092'] });
    assert.deepEqual(librdkafkaOptions(kafka), {
      'bootstrap.servers': '127.0.0.1:9092',
      'client.id': 'tally',
      'security.protocol': 'plaintext',
    });
  });

  it('carry SASL_SSL with SCRAM and a CA file to both clients', () => {
    const dir = temporaryDir();
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const { kafka } = loadConfig({
      env: {
        KAFKA_BROKERS: 'b1.example:9093,b2.example:9093',
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'tally',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_SSL_CA_LOCATION: ca,
      },
    });
    assert.deepEqual(kafkajsOptions(kafka), {
      clientId: 'tally',
      brokers: ['b1.example:9093', 'b2.example:9093'],
      ssl: { rejectUnauthorized: true, ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-256', username: 'tally', password: 's3cret' },
    });
    assert.deepEqual(librdkafkaOptions(kafka), {
      'bootstrap.servers': 'b1.example:9093,b2.example:9093',
      'client.id': 'tally',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'sasl.username': 'tally',
      'sasl.password': 's3cret',
      'enable.ssl.certificate.verification': true,
      'ssl.ca.location': ca,
    });
  });

  it('names the variable of a certificate file that cannot be read', () => {
    const { kafka } = loadConfig({
      env: { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_LOCATION: '/nonexistent/ca.pem' },
    });
    assert.throws(
      () => kafkajsOptions(kafka),
      (error: Error) =>
        error instanceof UserError &&
        /^KAFKA_SSL_CA_LOCATION=\/nonexistent\/ca\.pem cannot be read/.test(error.message),
    );
  });
});
