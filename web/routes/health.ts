/** `/healthz`: 200 while the dashboard can read PostgreSQL, 503 when it cannot. The stack's readiness check. */
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';

export interface HealthRoutesOptions {
  db: pg.Pool;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
          503: {
            type: 'object',
            properties: { status: { const: 'unavailable' }, reason: { type: 'string' } },
            required: ['status', 'reason'],
          },
        },
      },
    },
    async (_request, reply) => {
      try {
        await db.query('SELECT 1');
        return { status: 'ok' as const };
      } catch (error) {
        return reply.code(503).send({ status: 'unavailable' as const, reason: (error as Error).message });
      }
    },
  );
};
