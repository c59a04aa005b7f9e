/**
 * The connector plugins this worker has. Each turns a connector config into
 * its tasks; the JDBC sink is the one Tally needs.
 */
import type { Logger } from '../../logging/index.ts';
import { JDBC_SINK_CLASS, JDBC_SINK_VERSION, type JdbcSinkConfig, parseJdbcSinkConfig } from '../jdbc-sink/config.ts';
import { type ErrantRecordReporter, JdbcSinkTask } from '../jdbc-sink/sink-task.ts';
import type { SinkTask } from './sink-task-runner.ts';

export interface SinkConnectorPlugin {
  className: string;
  type: 'sink';
  version: string;
  /** Validates the config; throws ConnectorConfigError naming each bad setting. */
  validate(config: Record<string, string>): { topics?: string[]; topicsRegex?: RegExp };
  createTask(config: Record<string, string>, logger: Logger, reporter?: ErrantRecordReporter): SinkTask;
}

const jdbcSink: SinkConnectorPlugin = {
  className: JDBC_SINK_CLASS,
  type: 'sink',
  version: JDBC_SINK_VERSION,
  validate(config) {
    const parsed: JdbcSinkConfig = parseJdbcSinkConfig(config);
    return {
      ...(parsed.topics && { topics: parsed.topics }),
      ...(parsed.topicsRegex && { topicsRegex: parsed.topicsRegex }),
    };
  },
  createTask(config, logger, reporter) {
    return new JdbcSinkTask(parseJdbcSinkConfig(config), logger, reporter);
  },
};

export const CONNECTOR_PLUGINS: readonly SinkConnectorPlugin[] = [jdbcSink];

/** By full class name or, as Connect allows, the simple name (`JdbcSinkConnector`) or alias (`JdbcSink`). */
export function findPlugin(className: string): SinkConnectorPlugin | undefined {
  return CONNECTOR_PLUGINS.find((p) => {
    const simple = p.className.split('.').pop()!;
    return p.className === className || simple === className || simple.replace(/Connector$/, '') === className;
  });
}
