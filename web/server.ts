/**
 * Starts the whole dashboard: a read-only pool, the change feed, the live
 * hub, the election panels (with their pipeline monitor and, given Kafka
 * settings, the sink's lag probe) and the app, listening on host:port.
 * `stop()` closes them in reverse order.
 */
import type { KafkaConfig } from 'kafkajs';
import pg from 'pg';
import type { Logger } from '../logging/index.ts';
import { buildDashboardApp } from './app.ts';
import { ChangeFeed } from './changes/change-feed.ts';
import { LiveHub } from './live/hub.ts';
import { Dashboard } from './panels/dashboard.ts';
import { electionPanels } from './panels/election/index.ts';
import type { LivePanel } from './panels/live-panel.ts';
import type { PanelRegistry } from './panels/registry.ts';
import { KafkaLagProbe } from './pipeline/kafka-lag.ts';
import { PipelineMonitor } from './pipeline/monitor.ts';

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
  /** The election panels (default true); false leaves generic panels only. */
  election?: boolean;
  /** kafkajs settings of the stack's broker, for the sink's consumer lag; without them the lag is "unknown". */
  kafka?: KafkaConfig;
  /** How often time-based panels (pipeline health) are re-rendered (default 2 s). */
  tickMs?: number;
}

export interface DashboardServer {
  url: string;
  port: number;
  feed: ChangeFeed;
  hub: LiveHub;
  monitor: PipelineMonitor;
  stop(): Promise<void>;
}

export async function startDashboard(options: DashboardServerOptions): Promise<DashboardServer> {
  const schema = options.schema ?? 'public';
  // Every session of the pool is read-only: the dashboard cannot write, whatever a query says.
  const db = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 4,
    application_name: 'tally-dashboard',
    options: '-c default_transaction_read_only=on',
  });
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
  const monitor = new PipelineMonitor();
  const stopMonitor = monitor.watch(feed);
  const lag =
    options.kafka && options.election !== false
      ? new KafkaLagProbe({ kafka: options.kafka, logger: options.logger })
      : undefined;
  lag?.start();
  const panels: LivePanel[] = options.election === false ? [] : electionPanels({ monitor, ...(lag && { lag }) });
  const dashboard = new Dashboard(db, schema, options.registry, panels);
  const hub = new LiveHub(dashboard, feed, options.logger, {
    ...(options.minIntervalMs !== undefined && { minIntervalMs: options.minIntervalMs }),
    ...(options.tickMs !== undefined && { tickMs: options.tickMs }),
  });
  const app = await buildDashboardApp({ dashboard, hub, db, logger: options.logger });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    feed,
    hub,
    monitor,
    async stop() {
      hub.close();
      stopMonitor();
      await lag?.stop();
      // Open SSE streams would hold close() forever.
      app.server.closeAllConnections();
      await app.close();
      await feed.stop();
      await db.end();
    },
  };
}
