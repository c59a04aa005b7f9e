/**
 * The services of the embedded stack, in start order. Each component adds
 * its service definition here as it arrives (schema registry, ksqlDB server,
 * Connect worker, dashboard to come).
 */
import net from 'node:net';
import { type Config, ksqldbNode } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { electionService } from './election.ts';
import { setUpPipeline } from './pipeline-setup.ts';
import { postgresService } from './postgres.ts';
import type { ServiceDefinition } from './service.ts';
import { TALLY_BIN } from './tally-bin.ts';

/** True once something accepts TCP connections on host:port. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Node flags for the services that allocate a short-lived object per record
 * (the ksqlDB server, the Connect worker): a young generation of 64 MiB
 * instead of 16 lets most of them die there instead of being copied and
 * promoted. Garbage collection fell from about a quarter of the ksqlDB
 * server's busy time to about a seventh in a presidential election.
 */
function recordHeavyNodeOptions(): Record<string, string> {
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=64`.trim() };
}

function brokerService(config: Config): ServiceDefinition {
  return {
    name: 'kafka',
    address: `${config.broker.advertisedHost}:${config.broker.port}`,
    port: config.broker.port,
    portVariable: 'TALLY_KAFKA_PORT',
    // The broker reads the same environment (TALLY_*), so it needs no flags.
    process: () => ({ command: TALLY_BIN, args: ['broker'] }),
    ready: () => acceptsConnections(config.broker.host, config.broker.port),
    stopTimeoutMs: 30_000,
  };
}

/** True once an HTTP endpoint answers 2xx. */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function schemaRegistryService(config: Config): ServiceDefinition {
  return {
    name: 'schema-registry',
    address: config.schemaRegistryUrl,
    port: config.ports.schemaRegistry,
    portVariable: 'TALLY_SCHEMA_REGISTRY_PORT',
    process: () => ({ command: TALLY_BIN, args: ['schema-registry'] }),
    // It answers only after reading `_schemas` to its end.
    ready: () => answersHttp(`http://${config.host}:${config.ports.schemaRegistry}/subjects`),
    stopTimeoutMs: 15_000,
  };
}

function connectService(config: Config): ServiceDefinition {
  return {
    name: 'connect',
    address: config.connectUrl,
    port: config.ports.connect,
    portVariable: 'TALLY_CONNECT_PORT',
    process: () => ({ command: TALLY_BIN, args: ['connect'], env: recordHeavyNodeOptions() }),
    // It answers only once its stored connectors are running again.
    ready: () => answersHttp(`http://${config.host}:${config.ports.connect}/connector-plugins`),
    stopTimeoutMs: 30_000,
  };
}

export function dashboardService(config: Config): ServiceDefinition {
  return {
    name: 'dashboard',
    address: config.dashboardUrl,
    port: config.ports.dashboard,
    portVariable: 'TALLY_DASHBOARD_PORT',
    process: () => ({ command: TALLY_BIN, args: ['dashboard'] }),
    // It answers once it listens on PostgreSQL's changes and can read its tables.
    ready: () => answersHttp(`http://${config.host}:${config.ports.dashboard}/healthz`),
    stopTimeoutMs: 10_000,
  };
}

/**
 * Server `node` of the ksqlDB cluster. The first one answers on the ksqlDB
 * port and sets up the pipeline; the others (TALLY_KSQLDB_NODES) read the same
 * command topic and share every query's partitions with it.
 */
function ksqldbService(config: Config, node: number): ServiceDefinition {
  const { name, port } = ksqldbNode(config, node);
  return {
    name,
    address: `http://${config.host}:${port}`,
    port,
    portVariable: 'TALLY_KSQLDB_PORT',
    process: () => ({
      command: TALLY_BIN,
      args: ['ksql-server', '--node', String(node)],
      env: recordHeavyNodeOptions(),
    }),
    // It answers only after replaying its command topic; healthy means Kafka answers too.
    ready: async () => {
      try {
        const response = await fetch(`http://${config.host}:${port}/healthcheck`, {
          signal: AbortSignal.timeout(2000),
        });
        return response.ok && ((await response.json()) as { isHealthy?: boolean }).isHealthy === true;
      } catch {
        return false;
      }
    },
    // Then the election's topics, ksql/migrations and the sink connectors (pipeline-setup.ts).
    ...(node === 1 && {
      afterReady: () =>
        setUpPipeline(config, createLogger('pipeline', { logDir: config.logDir, level: config.logLevel })),
    }),
    // A restart answers only once every query runs again, its state stores restored from their
    // changelogs: over a minute for an election's worth on two busy cores.
    startTimeoutMs: 300_000,
    stopTimeoutMs: 30_000,
  };
}

/**
 * What runs on this machine beside the docker stack's containers: the
 * pipeline set up as on the embedded stack (once the dashboard answers),
 * the dashboard and the election.
 */
export function dockerStackServices(config: Config): ServiceDefinition[] {
  const dashboard: ServiceDefinition = {
    ...dashboardService(config),
    afterReady: () =>
      setUpPipeline(config, createLogger('pipeline', { logDir: config.logDir, level: config.logLevel })),
  };
  return config.settings.election ? [dashboard, electionService(config)] : [dashboard];
}

export function embeddedServices(config: Config): ServiceDefinition[] {
  const services: ServiceDefinition[] = [];
  if (config.postgres.embedded) services.push(postgresService(config.postgres, config.host));
  services.push(brokerService(config));
  services.push(schemaRegistryService(config), connectService(config));
  services.push(dashboardService(config));
  for (let node = 1; node <= config.settings.ksqldbNodes; node++) services.push(ksqldbService(config, node));
  if (config.settings.election) services.push(electionService(config));
  return services;
}
