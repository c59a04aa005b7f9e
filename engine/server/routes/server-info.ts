/** `GET /info`, `GET /healthcheck`, `GET /status`: what ksqlDB's clients and load balancers poll. */
import type { FastifyPluginAsync } from 'fastify';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';
import { KSQL_VERSION, type KsqlServer } from '../ksql-server.ts';

const infoReply = {
  type: 'object',
  properties: {
    KsqlServerInfo: {
      type: 'object',
      properties: {
        version: { type: 'string' },
        kafkaClusterId: { type: 'string' },
        ksqlServiceId: { type: 'string' },
        serverStatus: { type: 'string' },
      },
    },
  },
} as const;

const healthReply = {
  type: 'object',
  properties: {
    isHealthy: { type: 'boolean' },
    details: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { isHealthy: { type: 'boolean' } } },
    },
  },
} as const;

export const serverInfoRoutes: FastifyPluginAsync<{ server: KsqlServer }> = async (app, { server }) => {
  app.get('/info', { schema: { response: { 200: infoReply } } }, async () => ({
    KsqlServerInfo: {
      version: KSQL_VERSION,
      kafkaClusterId: await server.clusterId(),
      ksqlServiceId: server.serviceId,
      serverStatus: server.isRunning ? 'RUNNING' : 'ERROR',
    },
  }));

  // 503 when unhealthy, so a load balancer's plain status check works too.
  app.get('/healthcheck', { schema: { response: { 200: healthReply, 503: healthReply } } }, async (_request, reply) => {
    const health = await server.health();
    return reply.code(health.isHealthy ? 200 : 503).send(health);
  });

  // One node: every command has been executed when its request was answered; replayed ones as they went.
  app.get('/status', async () => ({
    commandStatuses: server.commandStatuses(),
    ksqlServiceId: server.serviceId,
    commandTopic: server.commandTopic,
  }));

  // ksqlDB's CommandStatus of one command, by the parts of its id (`stream/VOTES/create`).
  app.get<{ Params: { type: string; entity: string; action: string } }>(
    '/status/:type/:entity/:action',
    async (request) => {
      const { type, entity, action } = request.params;
      const status = server.commandStatus(`${type}/${entity}/${action}`);
      if (status === undefined) throw new KsqlRequestError(ERROR_CODES.notFound, 'Command not found');
      return { status: status.status, message: status.message };
    },
  );
};
