/**
 * The variables connector configs read through the env config provider
 * (`${env:TALLY_JDBC_URL}` and friends), which differ between stacks: the
 * docker stack sets them in docker-compose.yml's connect service; the
 * embedded worker derives them from Tally's configuration unless the
 * environment already sets them.
 */
import type { Config } from '../../config/index.ts';
import { ENV_CONFIG_PROVIDER_CLASS } from './config-providers.ts';

/** The worker properties that enable `${env:...}`, as CONNECT_CONFIG_PROVIDERS=env does on the docker stack. */
export const ENV_PROVIDER_WORKER_PROPS: Record<string, string> = {
  'config.providers': 'env',
  'config.providers.env.class': ENV_CONFIG_PROVIDER_CLASS,
};

export const STACK_VARIABLES = ['TALLY_JDBC_URL', 'TALLY_JDBC_USER', 'TALLY_JDBC_PASSWORD', 'SCHEMA_REGISTRY_URL'];

/** `env` with the stack's JDBC URL, database credentials and registry URL filled in where unset. */
export function embeddedStackEnv(
  config: Pick<Config, 'postgres' | 'schemaRegistryUrl'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> {
  const db = new URL(config.postgres.url);
  const derived: Record<string, string> = {
    TALLY_JDBC_URL: `jdbc:postgresql://${db.host}${db.pathname}${db.search}`,
    TALLY_JDBC_USER: decodeURIComponent(db.username) || config.postgres.user,
    TALLY_JDBC_PASSWORD: decodeURIComponent(db.password) || config.postgres.password,
    SCHEMA_REGISTRY_URL: config.schemaRegistryUrl,
  };
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(derived)) if (!out[name]) out[name] = value;
  return out;
}
