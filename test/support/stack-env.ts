/**
 * The environment for a whole embedded stack of one's own (tests and
 * benchmarks that run `bin/tally up`): its data folder, a free port for
 * every service, and nothing inherited that would point it at another
 * stack (DATABASE_URL, KAFKA_BROKERS). No node:test here: benchmarks use it.
 */
import { freePort } from './free-port.ts';

export interface StackPorts {
  readonly TALLY_POSTGRES_PORT: string;
  readonly TALLY_KAFKA_PORT: string;
  readonly TALLY_SCHEMA_REGISTRY_PORT: string;
  readonly TALLY_CONNECT_PORT: string;
  readonly TALLY_KSQLDB_PORT: string;
  readonly TALLY_DASHBOARD_PORT: string;
}

export async function ownStackEnv(
  dataDir: string,
  settings: Record<string, string> = {},
): Promise<{ env: NodeJS.ProcessEnv; ports: StackPorts }> {
  const ports: StackPorts = {
    TALLY_POSTGRES_PORT: String(await freePort()),
    TALLY_KAFKA_PORT: String(await freePort()),
    TALLY_SCHEMA_REGISTRY_PORT: String(await freePort()),
    TALLY_CONNECT_PORT: String(await freePort()),
    TALLY_KSQLDB_PORT: String(await freePort()),
    TALLY_DASHBOARD_PORT: String(await freePort()),
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...ports,
    TALLY_STACK: 'embedded',
    TALLY_DATA_DIR: dataDir,
    ...settings,
  };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  return { env, ports };
}
