/**
 * The Kafka connection settings in the two shapes our clients take: kafkajs's
 * KafkaConfig and librdkafka's properties (@confluentinc/kafka-javascript,
 * kcat). Producers, the engine and the dashboard build their clients from
 * these, so that one set of variables points all of them at a remote cluster.
 */
import fs from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { UserError } from './errors.ts';
import type { KafkaClientConfig } from './index.ts';

function readPem(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${variable}=${file} cannot be read: ${(error as Error).message}`);
  }
}

export function kafkajsOptions(kafka: KafkaClientConfig): KafkaConfig {
  const options: KafkaConfig = { clientId: kafka.clientId, brokers: kafka.brokers };
  if (kafka.ssl) {
    options.ssl = {
      rejectUnauthorized: kafka.ssl.verify,
      ...(kafka.ssl.caLocation && { ca: [readPem(kafka.ssl.caLocation, 'KAFKA_SSL_CA_LOCATION')] }),
      ...(kafka.ssl.certificateLocation && {
        cert: readPem(kafka.ssl.certificateLocation, 'KAFKA_SSL_CERTIFICATE_LOCATION'),
      }),
      ...(kafka.ssl.keyLocation && { key: readPem(kafka.ssl.keyLocation, 'KAFKA_SSL_KEY_LOCATION') }),
    };
  }
  if (kafka.sasl) {
    const { username, password } = kafka.sasl;
    const mechanism = kafka.sasl.mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
    options.sasl = { mechanism, username, password } as SASLOptions;
  }
  return options;
}

/** librdkafka configuration properties (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md). */
export function librdkafkaOptions(kafka: KafkaClientConfig): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = {
    'bootstrap.servers': kafka.brokers.join(','),
    'client.id': kafka.clientId,
    'security.protocol': kafka.securityProtocol.toLowerCase(),
  };
  if (kafka.sasl) {
    options['sasl.mechanisms'] = kafka.sasl.mechanism;
    options['sasl.username'] = kafka.sasl.username;
    options['sasl.password'] = kafka.sasl.password;
  }
  if (kafka.ssl) {
    options['enable.ssl.certificate.verification'] = kafka.ssl.verify;
    if (kafka.ssl.caLocation) options['ssl.ca.location'] = kafka.ssl.caLocation;
    if (kafka.ssl.certificateLocation) options['ssl.certificate.location'] = kafka.ssl.certificateLocation;
    if (kafka.ssl.keyLocation) options['ssl.key.location'] = kafka.ssl.keyLocation;
  }
  return options;
}
