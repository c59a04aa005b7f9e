/**
 * Starts the whole dashboard: a read pool, the change feed, the live hub and
 * the app, listening on host:port. `stop()` closes them in reverse order.
 */
import pg from 'pg';
import type { Logger } from '../logging/index.ts';
import { buildDashboardApp } from './app.ts';
import { ChangeFeed } from './changes/change-feed.ts';
import { LiveHub } from './live/hub.ts';
import { Dashboard } from './panels/dashboard.ts';
import type { PanelRegistry } from './panels/registry.ts';

export interface DashboardServerOptions {
  databaseUrl: string;
  /** The schema whose tables are panels (default `public`). */
  schema?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  registry?: PanelRegistry;
  /** Coalescing interval of change announcements per table (default 250 ms). */
  minIntervalMs?: number;
  /** How often new tables are looked for (default 1 s). */
  catalogIntervalMs?: number;
}

export interface DashboardServer {
  url: string;
  port: number;
  feed: ChangeFeed;
  hub: LiveHub;
  stop(): Promise<void>;
}

export async function startDashboard(options: DashboardServerOptions): Promise<DashboardServer> {
  const schema = options.schema ?? 'public';
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 4, application_name: 'tally-dashboard' });
  // An idle client's error (a PostgreSQL restart) must not crash the process; the next query reconnects.
  db.on('error', (error) => options.logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  const feed = new ChangeFeed({
    databaseUrl: options.databaseUrl,
    schema,
    logger: options.logger,
    ...(options.minIntervalMs !== undefined && { minIntervalMs: options.minIntervalMs }),
    ...(options.catalogIntervalMs !== undefined && { catalogIntervalMs: options.catalogIntervalMs }),
  });
  try {
    await feed.start();
  } catch (error) {
    await db.end();
    throw error;
  }
  const dashboard = new Dashboard(db, schema, options.registry);
  const hub = new LiveHub(dashboard, feed, options.logger);
  const app = await buildDashboardApp({ dashboard, hub, db, logger: options.logger });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    feed,
    hub,
    async stop() {
      hub.close();
      // Open SSE streams would hold close() forever.
      app.server.closeAllConnections();
      await app.close();
      await feed.stop();
      await db.end();
    },
  };
}
