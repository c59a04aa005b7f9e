/**
 * `POST /ksql`: statements in, one entity per statement out (KsqlResource).
 * A failing statement answers its error with the entities of the statements
 * before it, which have taken effect.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { KsqlServer } from '../ksql-server.ts';

const ksqlRequest = {
  type: 'object',
  required: ['ksql'],
  properties: {
    ksql: { type: 'string' },
    streamsProperties: { type: 'object', additionalProperties: true },
    sessionVariables: { type: 'object', additionalProperties: true },
    commandSequenceNumber: { type: 'integer' },
  },
} as const;

interface KsqlRequest {
  ksql: string;
  streamsProperties?: Record<string, unknown>;
  sessionVariables?: Record<string, unknown>;
}

export const ksqlRoutes: FastifyPluginAsync<{ server: KsqlServer }> = async (app, { server }) => {
  app.post<{ Body: KsqlRequest }>('/ksql', { schema: { body: ksqlRequest } }, async (request) => {
    const { ksql, streamsProperties = {}, sessionVariables = {} } = request.body;
    for (const [name, value] of Object.entries(sessionVariables)) {
      server.engine.variables.set(name.toUpperCase(), String(value));
    }
    return server.execute(ksql, streamsProperties);
  });
};
