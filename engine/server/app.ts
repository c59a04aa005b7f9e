/**
 * The ksqlDB-compatible REST server: a `KsqlServer` (engine, command topic,
 * persistent queries on Kafka) behind Fastify. Content types are ksqlDB's:
 * requests in `application/vnd.ksql.v1+json` or `application/json`, answers
 * in the type the client accepts (ksqlDB's own by default).
 */
import type http from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../logging/index.ts';
import { type BasicAuthUsers, isAuthorized, UNAUTHORIZED } from './basic-auth.ts';
import { type DualProtocolServer, dualProtocolServer } from './dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from './entities.ts';
import { KsqlServer, type KsqlServerOptions } from './ksql-server.ts';
import { ksqlRoutes } from './routes/ksql.ts';
import { serverInfoRoutes } from './routes/server-info.ts';
import { StreamingEndpoints } from './streaming-endpoints.ts';

export const KSQL_CONTENT_TYPE = 'application/vnd.ksql.v1+json';

export interface KsqlRestServerOptions extends KsqlServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  /** HTTP basic authentication with these user:password pairs (TALLY_KSQLDB_BASIC_AUTH_USERS); none when absent. */
  readonly basicAuthUsers?: BasicAuthUsers;
}

/** What sits in front of Fastify: authentication and the streaming endpoints. */
export interface KsqlFrontOptions {
  readonly basicAuthUsers?: BasicAuthUsers;
  readonly streaming?: StreamingEndpoints;
}

export interface KsqlRestServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly server: KsqlServer;
  readonly streaming: StreamingEndpoints;
  stop(): Promise<void>;
}

export function buildKsqlApp(server: KsqlServer, logger: Logger, front: KsqlFrontOptions = {}): FastifyInstance {
  let dual: DualProtocolServer | undefined;
  const users = front.basicAuthUsers;
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    // HTTP/1.1 and HTTP/2 cleartext on one port; auth and the streaming endpoints before Fastify's routes.
    serverFactory: (handler) => {
      dual = dualProtocolServer((request, response) => {
        if (
          users !== undefined &&
          !isAuthorized(users, (request.url ?? '').split('?')[0] ?? '', request.headers.authorization)
        ) {
          const body = JSON.stringify(UNAUTHORIZED);
          response.writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': 'Basic realm="KsqlServer"',
          });
          response.end(body);
          return;
        }
        if (front.streaming?.handle(request, response)) return;
        handler(request as http.IncomingMessage, response as http.ServerResponse);
      });
      return dual.server;
    },
  });
  app.addHook('preClose', async () => dual?.closeSessions());
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
  let streaming: StreamingEndpoints;
  try {
    streaming = await StreamingEndpoints.start({
      engine: server.engine,
      bootstrapServers: options.bootstrapServers,
      serviceId: server.serviceId,
      logger: options.logger,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const app = buildKsqlApp(server, options.logger, {
    streaming,
    ...(options.basicAuthUsers !== undefined && { basicAuthUsers: options.basicAuthUsers }),
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await streaming.stop();
    await server.stop();
    throw error;
  }
  const port = (app.server.address() as { port: number }).port;
  server.hostInfo = `${options.host}:${port}`;
  return {
    url: `http://${options.host}:${port}`,
    port,
    app,
    server,
    streaming,
    async stop() {
      // Push queries end first, so their open responses do not hold the server's close.
      await streaming.stop();
      await app.close();
      await server.stop();
    },
  };
}
