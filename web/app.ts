/**
 * The dashboard's Fastify app: one encapsulated plugin per concern (pages,
 * election fragments, live events, assets, health), with cross-cutting hooks at the root: the
 * security headers every reply carries, and read-only (GET and HEAD only).
 */
import { fastifySSE } from '@fastify/sse';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type pg from 'pg';
import type { Logger } from '../logging/index.ts';
import type { LiveHub } from './live/hub.ts';
import type { Dashboard } from './panels/dashboard.ts';
import { assetRoutes } from './routes/assets.ts';
import { eventRoutes } from './routes/events.ts';
import { fragmentRoutes } from './routes/fragments.ts';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.ts';

export interface DashboardAppOptions {
  dashboard: Dashboard;
  hub: LiveHub;
  db: pg.Pool;
  logger: Logger;
}

/** Everything from this origin, nothing inline, never in a frame. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export async function buildDashboardApp(options: DashboardAppOptions): Promise<FastifyInstance> {
  // Per-request lines would be one per asset and SSE reconnection: errors are still logged.
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    // The dashboard only reads: anything but GET (and the HEAD Fastify derives from it) is refused.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply.code(405).header('allow', 'GET, HEAD').send({ error: 'the dashboard is read-only' });
    }
  });

  await app.register(fastifySSE, { heartbeatInterval: 15_000 });
  await app.register(assetRoutes);
  await app.register(healthRoutes, { db: options.db });
  await app.register(pageRoutes, { dashboard: options.dashboard });
  await app.register(fragmentRoutes, { dashboard: options.dashboard });
  await app.register(eventRoutes, { hub: options.hub });
  return app as unknown as FastifyInstance;
}
