/**
 * The Connect worker: connector configs and target states in the compacted
 * topic `connect-configs`, statuses in `connect-status` (the real worker's
 * keys and value shapes), and sink offsets as the consumer group offsets of
 * `connect-<name>`. A restarted worker reads both topics to their end and
 * starts every connector where its offsets say it was.
 *
 *   connect-configs  connector-<name>     {"properties": {...}}     (null: deleted)
 *                    target-state-<name>  {"state": "STARTED"|"PAUSED"}
 *   connect-status   status-connector-<name>, status-task-<name>-<id>
 *                    {"state", "trace", "worker_id", "generation"}
 */
import type { Kafka, Producer } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { createConverter } from '../converters/index.ts';
import { ConnectorConfigError } from '../jdbc-sink/config.ts';
import { KafkaBasedLog } from '../storage/kafka-based-log.ts';
import { kafkajsClient } from '../storage/kafka-clients.ts';
import { type ConfigProvider, transformConfig } from './config-providers.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { findPlugin, type SinkConnectorPlugin } from './plugins.ts';
import { SinkTaskRunner } from './sink-task-runner.ts';

export type State = 'RUNNING' | 'PAUSED' | 'FAILED' | 'UNASSIGNED';
type TargetState = 'STARTED' | 'PAUSED';

/** An error the REST API answers with this status and message. */
export class WorkerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export interface TaskStatus {
  id: number;
  state: State;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStatus {
  name: string;
  connector: { state: State; worker_id: string; trace?: string };
  tasks: TaskStatus[];
  type: 'sink';
}

interface TaskRuntime {
  id: number;
  state: State;
  trace?: string;
  runner?: SinkTaskRunner;
}

interface ConnectorRuntime {
  name: string;
  config: Record<string, string>;
  target: TargetState;
  state: State;
  trace?: string;
  tasks: TaskRuntime[];
}

export interface ConnectWorkerOptions {
  kafka: KafkaClientConfig;
  logger: Logger;
  /** host:port, reported in statuses as worker_id. */
  workerId: string;
  /** Worker-level converter settings (key.converter, value.converter.schema.registry.url, ...). */
  converterDefaults: Record<string, string>;
  configTopic?: string;
  statusTopic?: string;
  /** `config.providers` by name: `${name:[path:]key}` in a connector config is resolved when its tasks start. */
  configProviders?: ReadonlyMap<string, ConfigProvider>;
}

export class ConnectWorker {
  private readonly connectors = new Map<string, ConnectorRuntime>();
  private readonly configLog: KafkaBasedLog;
  private readonly statusLog: KafkaBasedLog;
  private readonly kafka: Kafka;
  private dlqProducer: Producer | undefined;
  /** One change at a time: starts and stops of a connector must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  /** host:port of the REST listener, known once it listens. */
  workerId: string;

  constructor(private readonly options: ConnectWorkerOptions) {
    const { kafka, logger } = options;
    this.workerId = options.workerId;
    this.configLog = new KafkaBasedLog({ topic: options.configTopic ?? 'connect-configs', kafka, logger });
    this.statusLog = new KafkaBasedLog({ topic: options.statusTopic ?? 'connect-status', kafka, logger });
    this.kafka = kafkajsClient(kafka, logger);
  }

  async start(): Promise<void> {
    await Promise.all([this.configLog.start(), this.statusLog.start()]);
    const configs = new Map<string, Record<string, string>>();
    const targets = new Map<string, TargetState>();
    for (const { key, value } of await this.configLog.readToEnd()) {
      const [, kind, name] = /^(connector|target-state)-(.*)$/.exec(key) ?? [];
      if (!name) continue;
      if (kind === 'connector') {
        if (value === null) configs.delete(name);
        else configs.set(name, JSON.parse(value).properties);
      } else if (value !== null) {
        targets.set(name, JSON.parse(value).state);
      }
    }
    for (const [name, config] of configs) {
      const runtime: ConnectorRuntime = {
        name,
        config,
        target: targets.get(name) ?? 'STARTED',
        state: 'UNASSIGNED',
        tasks: [],
      };
      this.connectors.set(name, runtime);
      await this.startConnector(runtime);
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private get(name: string): ConnectorRuntime {
    const runtime = this.connectors.get(name);
    if (!runtime) throw new WorkerError(404, `Connector ${name} not found`);
    return runtime;
  }

  names(): string[] {
    return [...this.connectors.keys()].sort();
  }

  config(name: string): Record<string, string> {
    return this.get(name).config;
  }

  info(name: string) {
    const runtime = this.get(name);
    return {
      name,
      config: runtime.config,
      tasks: this.taskCount(runtime.config).map((task) => ({ connector: name, task })),
      type: 'sink' as const,
    };
  }

  status(name: string): ConnectorStatus {
    const runtime = this.get(name);
    const worker_id = this.workerId;
    return {
      name,
      connector: { state: runtime.state, worker_id, ...(runtime.trace && { trace: runtime.trace }) },
      tasks: runtime.tasks.map((t) => ({ id: t.id, state: t.state, worker_id, ...(t.trace && { trace: t.trace }) })),
      type: 'sink',
    };
  }

  private taskCount(config: Record<string, string>): number[] {
    const max = Math.max(1, Number(config['tasks.max'] ?? 1) || 1);
    return Array.from({ length: max }, (_, i) => i);
  }

  /** The config with its `${provider:key}` references resolved, as the tasks get it; the raw one is what is stored. */
  private resolve(config: Record<string, string>): Record<string, string> {
    const { config: resolved, unresolved } = transformConfig(config, this.options.configProviders ?? new Map());
    if (unresolved.length > 0) {
      throw new WorkerError(
        400,
        unresolved
          .map(
            ({ setting, reference }) =>
              `${setting} refers to ${reference}, which the worker's config providers cannot resolve: set it in the Connect worker's environment`,
          )
          .join('; '),
      );
    }
    return resolved;
  }

  /** Checks a config before it is stored; an answer of 400 lists every problem. Answers the resolved config. */
  private validate(
    name: string,
    raw: Record<string, string>,
  ): { plugin: SinkConnectorPlugin; config: Record<string, string> } {
    const config = this.resolve(raw);
    const className = config['connector.class'];
    if (!className) throw new WorkerError(400, 'Connector config is missing connector.class');
    const plugin = findPlugin(className);
    if (!plugin) {
      throw new WorkerError(
        400,
        `Failed to find any class that implements Connector and which name matches ${className}; available connectors are: ${['io.confluent.connect.jdbc.JdbcSinkConnector'].join(', ')}`,
      );
    }
    if (config.name !== undefined && config.name !== name) {
      throw new WorkerError(
        400,
        `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`,
      );
    }
    try {
      plugin.validate(config);
      createConverter(config, this.options.converterDefaults, true);
      createConverter(config, this.options.converterDefaults, false);
    } catch (error) {
      throw new WorkerError(400, (error as Error).message);
    }
    return { plugin, config };
  }

  create(name: string, config: Record<string, string>): Promise<void> {
    return this.serialized(async () => {
      if (!/^[^/\\]+$/.test(name) || name.trim() === '')
        throw new WorkerError(400, `Connector name '${name}' is invalid`);
      if (this.connectors.has(name)) throw new WorkerError(409, `Connector ${name} already exists`);
      await this.store(name, { ...config, name });
    });
  }

  /** Creates or reconfigures; answers whether it was created. */
  putConfig(name: string, config: Record<string, string>): Promise<boolean> {
    return this.serialized(async () => {
      const existing = this.connectors.get(name);
      if (existing) {
        this.validate(name, { ...config, name });
        await this.stopTasks(existing);
        existing.config = { ...config, name };
        await this.configLog.write(`connector-${name}`, JSON.stringify({ properties: existing.config }));
        await this.startConnector(existing);
        return false;
      }
      await this.store(name, { ...config, name });
      return true;
    });
  }

  private async store(name: string, config: Record<string, string>): Promise<void> {
    this.validate(name, config);
    await this.configLog.write(`connector-${name}`, JSON.stringify({ properties: config }));
    await this.configLog.write(`target-state-${name}`, JSON.stringify({ state: 'STARTED' }));
    const runtime: ConnectorRuntime = { name, config, target: 'STARTED', state: 'UNASSIGNED', tasks: [] };
    this.connectors.set(name, runtime);
    await this.startConnector(runtime);
  }

  delete(name: string): Promise<void> {
    return this.serialized(async () => {
      const runtime = this.get(name);
      await this.stopTasks(runtime);
      this.connectors.delete(name);
      await this.configLog.write(`connector-${name}`, null);
      await this.configLog.write(`target-state-${name}`, null);
      await this.statusLog.write(`status-connector-${name}`, null);
      for (const task of runtime.tasks) await this.statusLog.write(`status-task-${name}-${task.id}`, null);
    });
  }

  pause(name: string): Promise<void> {
    return this.serialized(async () => {
      const runtime = this.get(name);
      runtime.target = 'PAUSED';
      await this.configLog.write(`target-state-${name}`, JSON.stringify({ state: 'PAUSED' }));
      await this.startConnector(runtime);
    });
  }

  resume(name: string): Promise<void> {
    return this.serialized(async () => {
      const runtime = this.get(name);
      runtime.target = 'STARTED';
      await this.configLog.write(`target-state-${name}`, JSON.stringify({ state: 'STARTED' }));
      await this.startConnector(runtime);
    });
  }

  /** Stops and starts the connector and its tasks; a failed task starts afresh from its committed offsets. */
  restart(name: string): Promise<void> {
    return this.serialized(async () => {
      await this.startConnector(this.get(name));
    });
  }

  /** Brings a connector to its target state, from whatever state it is in. */
  private async startConnector(runtime: ConnectorRuntime): Promise<void> {
    await this.stopTasks(runtime);
    runtime.trace = undefined;
    if (runtime.target === 'PAUSED') {
      runtime.state = 'PAUSED';
      runtime.tasks = this.taskCount(runtime.config).map((id) => ({ id, state: 'PAUSED' }));
      await this.publishStatus(runtime);
      return;
    }
    let plugin: SinkConnectorPlugin;
    let config: Record<string, string>;
    try {
      ({ plugin, config } = this.validate(runtime.name, runtime.config));
    } catch (error) {
      runtime.state = 'FAILED';
      runtime.trace = (error as Error).stack;
      runtime.tasks = [];
      await this.publishStatus(runtime);
      return;
    }
    runtime.state = 'RUNNING';
    runtime.tasks = this.taskCount(runtime.config).map((id) => ({ id, state: 'RUNNING' }));
    for (const task of runtime.tasks) await this.startTask(runtime, plugin, config, task);
    await this.publishStatus(runtime);
  }

  private async startTask(
    runtime: ConnectorRuntime,
    plugin: SinkConnectorPlugin,
    config: Record<string, string>,
    task: TaskRuntime,
  ): Promise<void> {
    const { name } = runtime;
    const logger = this.options.logger.child({ connector: name, task: task.id });
    const tolerateErrors = (config['errors.tolerance'] ?? 'none').toLowerCase() === 'all';
    const dlqTopic = config['errors.deadletterqueue.topic.name'];
    let deadLetterQueue: DeadLetterQueue | undefined;
    if (tolerateErrors && dlqTopic) {
      this.dlqProducer ??= this.kafka.producer({ allowAutoTopicCreation: true });
      await this.dlqProducer.connect();
      await this.ensureTopic(dlqTopic);
      const headers = (config['errors.deadletterqueue.context.headers.enable'] ?? 'true').toLowerCase() !== 'false';
      deadLetterQueue = new DeadLetterQueue(this.dlqProducer, dlqTopic, name, task.id, headers);
    }
    const { topics, topicsRegex } = plugin.validate(config);
    const sinkTask = plugin.createTask(
      config,
      logger,
      tolerateErrors
        ? (deadLetterQueue ?? {
            report: async (record, error) => logger.warn({ err: error, offset: record.offset }, 'record skipped'),
          })
        : undefined,
    );
    const runner = new SinkTaskRunner({
      connector: name,
      taskId: task.id,
      kafka: this.kafka,
      ...(topics && { topics }),
      ...(topicsRegex && { topicsRegex }),
      // The connector's consumer override, as Connect allows (connector.client.config.override.policy=All).
      ...(config['consumer.override.metadata.max.age.ms'] !== undefined && {
        topicRefreshMs: Number(config['consumer.override.metadata.max.age.ms']),
      }),
      keyConverter: createConverter(config, this.options.converterDefaults, true),
      valueConverter: createConverter(config, this.options.converterDefaults, false),
      task: sinkTask,
      ...(deadLetterQueue && { deadLetterQueue }),
      tolerateErrors,
      logger,
      onFailure: (error) => {
        if (task.runner !== runner) return;
        task.state = 'FAILED';
        task.trace = error.stack ?? error.message;
        void this.publishStatus(runtime).catch((e) => logger.error({ err: e }, 'cannot write status'));
      },
    });
    task.runner = runner;
    try {
      await runner.start();
    } catch (error) {
      task.state = 'FAILED';
      task.trace = (error as Error).stack;
    }
  }

  private async ensureTopic(topic: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async stopTasks(runtime: ConnectorRuntime): Promise<void> {
    for (const task of runtime.tasks) {
      const runner = task.runner;
      task.runner = undefined;
      await runner?.stop();
    }
  }

  private async publishStatus(runtime: ConnectorRuntime): Promise<void> {
    const worker_id = this.workerId;
    await this.statusLog.write(
      `status-connector-${runtime.name}`,
      JSON.stringify({ state: runtime.state, trace: runtime.trace ?? null, worker_id, generation: 0 }),
    );
    for (const task of runtime.tasks) {
      await this.statusLog.write(
        `status-task-${runtime.name}-${task.id}`,
        JSON.stringify({ state: task.state, trace: task.trace ?? null, worker_id, generation: 0 }),
      );
    }
  }

  async stop(): Promise<void> {
    await this.serialized(async () => {
      for (const runtime of this.connectors.values()) await this.stopTasks(runtime);
    });
    await this.dlqProducer?.disconnect().catch(() => undefined);
    await Promise.all([this.configLog.stop(), this.statusLog.stop()]);
  }
}

export { ConnectorConfigError };
