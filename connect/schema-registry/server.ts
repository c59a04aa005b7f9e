/** The schema registry service: the `_schemas` store behind the REST API. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { KafkaBasedLog } from '../storage/kafka-based-log.ts';
import { schemaRegistryRoutes } from './routes.ts';
import { SchemaStore } from './schema-store.ts';

export interface SchemaRegistryOptions {
  kafka: KafkaClientConfig;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** The store topic (kafkastore.topic); `_schemas` by default. */
  topic?: string;
}

export interface SchemaRegistryServer {
  url: string;
  port: number;
  app: FastifyInstance;
  stop(): Promise<void>;
}

export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<SchemaRegistryServer> {
  const log = new KafkaBasedLog({ topic: options.topic ?? '_schemas', kafka: options.kafka, logger: options.logger });
  const store = new SchemaStore(log);
  // Serve nothing until the whole topic is read: an id answered earlier could be wrong.
  await store.start();
  const app = Fastify({
    // Requests log at info; the service logs only what goes wrong.
    loggerInstance: options.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  });
  await app.register(schemaRegistryRoutes, { store });
  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    app,
    async stop() {
      await app.close();
      await store.stop();
    },
  };
}
