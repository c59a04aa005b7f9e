/** The Connect worker service: the worker behind its REST API. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { configProvidersFrom } from './config-providers.ts';
import { connectRoutes } from './routes.ts';
import { ConnectWorker } from './worker.ts';

export interface ConnectWorkerServerOptions {
  kafka: KafkaClientConfig;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** The registry the Avro and JSON Schema converters use unless a connector says otherwise. */
  schemaRegistryUrl: string;
  configTopic?: string;
  statusTopic?: string;
  /** Worker properties: `config.providers=env` and `config.providers.env.class=...EnvVarConfigProvider`. */
  workerProps?: Record<string, string>;
  /** What the env config provider reads; default process.env. */
  env?: Record<string, string | undefined>;
}

export interface ConnectWorkerServer {
  url: string;
  port: number;
  worker: ConnectWorker;
  app: FastifyInstance;
  stop(): Promise<void>;
}

export async function startConnectWorker(options: ConnectWorkerServerOptions): Promise<ConnectWorkerServer> {
  const app = Fastify({
    // Requests log at info; the service logs only what goes wrong.
    loggerInstance: options.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  });
  const worker = new ConnectWorker({
    kafka: options.kafka,
    logger: options.logger,
    workerId: `${options.host}:${options.port}`,
    // The docker stack's worker defaults (CONNECT_KEY_CONVERTER, CONNECT_VALUE_CONVERTER).
    converterDefaults: {
      'key.converter': 'io.confluent.connect.avro.AvroConverter',
      'key.converter.schema.registry.url': options.schemaRegistryUrl,
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': options.schemaRegistryUrl,
    },
    ...(options.configTopic && { configTopic: options.configTopic }),
    ...(options.statusTopic && { statusTopic: options.statusTopic }),
    configProviders: configProvidersFrom(options.workerProps ?? {}, options.env ?? process.env),
  });
  // Requests wait until the stored connectors are running again.
  let started: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  app.addHook('onRequest', async () => {
    await ready;
  });
  await app.register(connectRoutes, { worker });
  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as { port: number }).port;
  worker.workerId = `${options.host}:${port}`;
  try {
    await worker.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  started();
  return {
    url: `http://${options.host}:${port}`,
    port,
    worker,
    app,
    async stop() {
      await app.close();
      await worker.stop();
    },
  };
}
