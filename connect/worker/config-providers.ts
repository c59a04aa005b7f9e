/**
 * Config providers, as Kafka's ConfigTransformer applies them: a connector
 * setting may hold `${provider:[path:]key}` references that the worker
 * resolves when it starts the connector's tasks, while the raw config is what
 * it stores and what GET /connectors/<name>/config answers. So one connector
 * file carries `${env:TALLY_JDBC_URL}` and each stack's worker fills in its
 * own database.
 *
 * The worker enables providers with its own properties, as AK 3.5+ does:
 *
 *   config.providers=env
 *   config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
 *   config.providers.env.param.allowlist.pattern=...   (optional: which variables may be read)
 *
 * A reference to a provider the worker does not have stays as written (Kafka
 * does the same); a reference the provider cannot resolve is an error naming
 * the setting and the variable.
 */

export const ENV_CONFIG_PROVIDER_CLASS = 'org.apache.kafka.common.config.provider.EnvVarConfigProvider';

export interface ConfigProvider {
  /** The values of `keys` under `path`; keys it does not know are left out. */
  get(path: string, keys: readonly string[]): Map<string, string>;
}

/** Kafka's EnvVarConfigProvider: `${env:NAME}` is the worker's environment variable NAME. */
export class EnvVarConfigProvider implements ConfigProvider {
  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly allowlist: RegExp = /.*/,
  ) {}

  get(path: string, keys: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    // Like Kafka's, it has no paths: a non-empty one finds nothing.
    if (path !== '') return found;
    for (const key of keys) {
      const value = this.env[key];
      if (value !== undefined && this.allowlist.test(key)) found.set(key, value);
    }
    return found;
  }
}

/** A worker property is wrong: names it and says what it accepts. */
export class ConfigProviderError extends Error {
  override name = 'ConfigProviderError';
}

/** The providers a worker's properties enable (`config.providers` and `config.providers.<name>.*`). */
export function configProvidersFrom(
  workerProps: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Map<string, ConfigProvider> {
  const providers = new Map<string, ConfigProvider>();
  const names = (workerProps['config.providers'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const name of names) {
    const className = workerProps[`config.providers.${name}.class`];
    if (className !== ENV_CONFIG_PROVIDER_CLASS) {
      throw new ConfigProviderError(
        `config.providers.${name}.class=${className ?? '(unset)'}: this worker has only ${ENV_CONFIG_PROVIDER_CLASS}`,
      );
    }
    const pattern = workerProps[`config.providers.${name}.param.allowlist.pattern`];
    let allowlist: RegExp | undefined;
    if (pattern !== undefined) {
      try {
        allowlist = new RegExp(`^(?:${pattern})$`);
      } catch (error) {
        throw new ConfigProviderError(
          `config.providers.${name}.param.allowlist.pattern=${pattern} is not a regular expression: ${(error as Error).message}`,
        );
      }
    }
    providers.set(name, new EnvVarConfigProvider(env, allowlist));
  }
  return providers;
}

/** Kafka's ConfigTransformer.DEFAULT_PATTERN: `${provider:[path:]key}`. */
const VARIABLE = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

export interface Unresolved {
  setting: string;
  reference: string;
}

/** Replaces every reference the providers resolve; lists those a known provider could not. */
export function transformConfig(
  config: Readonly<Record<string, string>>,
  providers: ReadonlyMap<string, ConfigProvider>,
): { config: Record<string, string>; unresolved: Unresolved[] } {
  const unresolved: Unresolved[] = [];
  const out: Record<string, string> = {};
  for (const [setting, value] of Object.entries(config)) {
    out[setting] =
      providers.size === 0
        ? value
        : value.replace(VARIABLE, (reference, name: string, path: string | undefined, key: string) => {
            const provider = providers.get(name);
            if (provider === undefined) return reference;
            const found = provider.get(path ?? '', [key]).get(key);
            if (found === undefined) {
              unresolved.push({ setting, reference });
              return reference;
            }
            return found;
          });
  }
  return { config: out, unresolved };
}
