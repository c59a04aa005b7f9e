/**
 * The ksqlDB-compatible REST server: a `KsqlServer` (engine, command topic,
 * persistent queries on Kafka) behind Fastify. Content types are ksqlDB's:
 * requests in `application/vnd.ksql.v1+json` or `application/json`, answers
 * in the type the client accepts (ksqlDB's own by default).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../logging/index.ts';
import { ERROR_CODES, KsqlRequestError } from './entities.ts';
import { KsqlServer, type KsqlServerOptions } from './ksql-server.ts';
import { ksqlRoutes } from './routes/ksql.ts';
import { serverInfoRoutes } from './routes/server-info.ts';

export const KSQL_CONTENT_TYPE = 'application/vnd.ksql.v1+json';

export interface KsqlRestServerOptions extends KsqlServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface KsqlRestServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly server: KsqlServer;
  stop(): Promise<void>;
}

export function buildKsqlApp(server: KsqlServer, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  });
  app.addContentTypeParser(KSQL_CONTENT_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const accept = request.headers.accept ?? '';
    const json = accept.includes('application/json') && !accept.includes(KSQL_CONTENT_TYPE);
    const current = String(reply.getHeader('content-type') ?? '');
    if (current.startsWith('application/json'))
      reply.header('content-type', json ? 'application/json' : KSQL_CONTENT_TYPE);
    return payload;
  });
  // Errors answer ksqlDB's KsqlErrorMessage shapes with the code's HTTP status.
  app.setErrorHandler((error: Error, _request, reply) => {
    if (error instanceof KsqlRequestError) return reply.code(error.httpStatus).send(error.toJSON());
    const validation = (error as { validation?: unknown }).validation !== undefined;
    const failure = new KsqlRequestError(validation ? ERROR_CODES.badRequest : ERROR_CODES.serverError, error.message);
    if (!validation) logger.error({ err: error }, 'request failed');
    return reply.code(failure.httpStatus).send(failure.toJSON());
  });
  app.register(ksqlRoutes, { server });
  app.register(serverInfoRoutes, { server });
  return app;
}

/** Starts the server: replays the command topic, resumes the queries, then listens. */
export async function startKsqlRestServer(options: KsqlRestServerOptions): Promise<KsqlRestServer> {
  const server = await KsqlServer.start(options);
  const app = buildKsqlApp(server, options.logger);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    app,
    server,
    async stop() {
      await app.close();
      await server.stop();
    },
  };
}
