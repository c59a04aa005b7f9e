/**
 * The services of the embedded stack, in start order. Each component adds
 * its service definition here as it arrives (broker, schema registry, ksqlDB
 * server, Connect worker, dashboard).
 */
import type { Config } from '../config/index.ts';
import { postgresService } from './postgres.ts';
import type { ServiceDefinition } from './service.ts';

export function embeddedServices(config: Config): ServiceDefinition[] {
  const services: ServiceDefinition[] = [];
  if (config.postgres.embedded) services.push(postgresService(config.postgres, config.host));
  return services;
}
