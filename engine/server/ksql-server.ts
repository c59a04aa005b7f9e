/**
 * The ksqlDB server's core, behind the REST routes: statements are executed
 * one at a time against the engine; those that change the metastore are
 * recorded in the command topic (so a restart replays them) and their
 * effects on Kafka follow: topics created, persistent queries started or
 * stopped. Listing statements (SHOW, LIST, DESCRIBE) read the metastore.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import type { Logger } from '../../logging/index.ts';
import { KsqlEngine, KsqlStatementError } from '../execution/engine.ts';
import { autoOffsetResetOf } from '../execution/query-properties.ts';
import { splitStatements } from '../execution/split.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { Statement } from '../parser/ast.ts';
import { substituteVariables } from '../parser/lexer.ts';
import { parseStatements } from '../parser/parser.ts';
import { buildTopology } from '../planner/physical-plan.ts';
import { type ProcessingLogRecord, processingLogTopic, processingLogValue } from '../processing-log/processing-log.ts';
import type { SqlType } from '../types/sql-type.ts';
import { type Command, CommandTopic, commandTopicName } from './command-topic.ts';
import { ConnectExecutor } from './connect-executor.ts';
import {
  type CommandStatus,
  currentStatus,
  ERROR_CODES,
  type KsqlEntity,
  KsqlRequestError,
  kafkaTopics,
  propertiesList,
  queryList,
  sourceDescription,
  sourceList,
  typeList,
} from './entities.ts';
import { describeFunction, functionNames } from './function-entities.ts';
import { persistentQueryDescription, transientQueryDescription } from './query-description.ts';
import { QueryRunner } from './query-runner.ts';
import { type RegistryHttpClient, RemoteSchemaRegistry } from './remote-schema-registry.ts';
import { TRANSIENT_SINK } from './topology-push-query.ts';
import { planTransientQuery, planWithKey } from './transient-query.ts';

export const KSQL_VERSION = '8.0.0';

export interface KsqlServerOptions {
  readonly bootstrapServers: readonly string[];
  /** ksql.service.id; ksqlDB's default is `default_`. */
  readonly serviceId?: string;
  /** Where queries keep their process ids and persistent stores. */
  readonly stateDir: string;
  readonly logger: Logger;
  /** Per-query record cache; 0 emits every update. */
  readonly cacheMaxBytes?: number;
  /** ksql.schema.registry.url's client (connect/'s SchemaRegistryClient); without it, an in-memory registry. */
  readonly schemaRegistry?: RegistryHttpClient;
  /** ksql.connect.url: where CREATE/SHOW/DESCRIBE/DROP CONNECTOR go; without it they fail. */
  readonly connectUrl?: string;
}

/** How long a statement waits for the commands recorded before it (ksqlDB's ksql.server.command.response.timeout.ms is 5 s). */
const CATCH_UP_TIMEOUT_MS = 30_000;

/** The statements ksqlDB distributes through the command topic. */
const DISTRIBUTED = new Set<Statement['kind']>([
  'createSource',
  'createAsSelect',
  'insertInto',
  'drop',
  'terminate',
  'alter',
  'createType',
]);

export class KsqlServer {
  readonly engine: KsqlEngine;
  readonly serviceId: string;
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly commands: CommandTopic;
  private readonly runner: QueryRunner;
  /** Statements run one at a time, in arrival order, as ksqlDB's command queue does. */
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private stopping = false;
  /** A query's last failure: its message and when it happened (EXPLAIN's queryErrors). */
  private readonly failedQueries = new Map<string, { message: string; timestamp: number }>();
  private readonly registry: RemoteSchemaRegistry | undefined;
  private readonly connect: ConnectExecutor | undefined;
  /** The sequence number of the next command this server has not executed. */
  private nextSequence = 0;
  /** Commands the follower has read and this server has not executed yet. */
  private readonly followed: Command[] = [];
  /** Sequence numbers of commands this server recorded, and so executed before recording. */
  private readonly ownSequences = new Set<number>();
  /** The last status of each command of the command topic, by command id (`GET /status`). */
  private readonly statuses = new Map<string, CommandStatus>();
  /** `host:port` this server answers on (ksqlDB's KsqlHostInfo), set once it listens. */
  hostInfo = 'localhost:8088';

  private constructor(private readonly options: KsqlServerOptions) {
    this.serviceId = options.serviceId ?? 'default_';
    this.registry = options.schemaRegistry && new RemoteSchemaRegistry(options.schemaRegistry);
    this.connect = options.connectUrl === undefined ? undefined : new ConnectExecutor(options.connectUrl);
    // As ksqlDB with ksql.logging.processing.stream.auto.create: KSQL_PROCESSING_LOG exists from the start.
    this.engine = new KsqlEngine({
      config: { 'ksql.service.id': this.serviceId, 'ksql.logging.processing.stream.auto.create': 'true' },
      ...(this.registry && { schemaRegistry: this.registry }),
    });
    this.kafka = new Kafka({
      clientId: `ksql-${this.serviceId}`,
      brokers: [...options.bootstrapServers],
      logLevel: logLevel.NOTHING,
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.commands = new CommandTopic(this.kafka, this.admin, commandTopicName(this.serviceId));
    // ksql.streams.auto.offset.reset in the server's properties; a query's own SET wins.
    const serverReset = autoOffsetResetOf(this.engine.config);
    this.runner = new QueryRunner({
      bootstrapServers: options.bootstrapServers,
      serviceId: this.serviceId,
      stateDir: options.stateDir,
      processingLog: this.engine.processingLog,
      ...(options.cacheMaxBytes !== undefined && { cacheMaxBytes: options.cacheMaxBytes }),
      ...(serverReset !== undefined && { autoOffsetReset: serverReset }),
      onError: (queryId, error) => {
        this.failedQueries.set(queryId, { message: error.message, timestamp: Date.now() });
        options.logger.error({ queryId, err: error }, 'persistent query failed');
      },
      onWarning: (queryId, message, error) => options.logger.warn({ queryId, err: error }, message),
    });
    this.engine.processingLog.onRecord((r) => {
      options.logger.warn(r, 'processing log');
      this.writeProcessingLog(r);
    });
  }

  /** Connects, replays the command topic and resumes every persistent query. */
  static async start(options: KsqlServerOptions): Promise<KsqlServer> {
    const server = new KsqlServer(options);
    await server.admin.connect();
    await server.producer.connect();
    await server.commands.start();
    await server.createProcessingLogTopic();
    await server.replay();
    server.running = true;
    return server;
  }

  get processingLogTopic(): string {
    return processingLogTopic(this.serviceId);
  }

  /** ksqlDB's ksql.logging.processing.topic.auto.create: one partition, created on start if missing. */
  private async createProcessingLogTopic(): Promise<void> {
    const topic = this.processingLogTopic;
    if ((await this.admin.listTopics()).includes(topic)) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
  }

  /** Each processing log entry as a record on the processing log topic, in order (the producer is idempotent). */
  private writeProcessingLog(record: ProcessingLogRecord): void {
    this.producer
      .send({
        topic: this.processingLogTopic,
        acks: -1,
        messages: [{ key: null, value: JSON.stringify(processingLogValue(record)), timestamp: String(record.time) }],
      })
      .catch((err: unknown) => this.options.logger.error({ err }, 'could not write to the processing log topic'));
  }

  get isRunning(): boolean {
    return this.running;
  }

  get commandTopic(): string {
    return this.commands.topic;
  }

  private async replay(): Promise<void> {
    // Replayed statements read the registry: without it they would be skipped, so the start fails instead.
    await this.registry?.ensureReachable();
    const commands = await this.commands.readAll();
    for (const command of commands) await this.applyCommand(command);
    this.nextSequence = (commands.at(-1)?.sequenceNumber ?? -1) + 1;
    await this.registry?.beforeQueries(this.engine.queries(), this.engine.metastore);
    await this.runner.reconcile(this.engine.queries());
    await this.commands.follow(this.nextSequence, (command) => {
      this.followed.push(command);
      this.enqueue(() => this.applyFollowed()).catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'could not start or stop the queries of a peer command'),
      );
    });
  }

  /** Executes a recorded command again (a replay, or a peer's command); its status is kept for `GET /status`. */
  private async applyCommand(command: Command): Promise<void> {
    try {
      let last: { message: string; queryId?: string } = { message: '' };
      for (const statement of this.parse(command.statement)) {
        await this.registry?.beforeStatement(statement, this.engine.metastore);
        last = this.engine.executeStatement(statement, command.streamsProperties);
      }
      this.statuses.set(command.commandId, {
        status: 'SUCCESS',
        message: last.message,
        queryId: last.queryId ?? null,
      });
    } catch (error) {
      this.statuses.set(command.commandId, { status: 'ERROR', message: messageOf(error), queryId: null });
      // ksqlDB skips a command that no longer executes rather than refusing to start.
      this.options.logger.error({ command: command.commandId, err: error }, 'command could not be executed');
    }
  }

  /** Executes the commands the follower has read since, skipping this server's own; then starts or stops queries. */
  private async applyFollowed(): Promise<void> {
    let applied = false;
    for (let command = this.followed.shift(); command !== undefined; command = this.followed.shift()) {
      if (command.sequenceNumber < this.nextSequence) continue;
      this.nextSequence = command.sequenceNumber + 1;
      if (this.ownSequences.delete(command.sequenceNumber)) continue;
      await this.applyCommand(command);
      applied = true;
    }
    if (!applied || this.stopping) return;
    await this.registry?.beforeQueries(this.engine.queries(), this.engine.metastore);
    await this.runner.reconcile(this.engine.queries());
  }

  /**
   * Waits until every command recorded so far has been executed here, so a
   * statement runs against the metastore its peers have built. Commands of
   * this server's own are executed already.
   */
  private async catchUp(): Promise<void> {
    const end = await this.commands.endOffset();
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      await this.applyFollowed();
      if (!this.hasUnexecutedBefore(end)) return;
      if (Date.now() > deadline) {
        throw new KsqlRequestError(
          ERROR_CODES.serverError,
          `Timeout while waiting for command sequence number of ${end - 1}. Caused by: the server has executed the command topic only up to ${this.nextSequence - 1}.`,
        );
      }
      await sleep(10);
    }
  }

  /** True when a peer's command before `end` has not been executed here yet. */
  private hasUnexecutedBefore(end: number): boolean {
    for (let sequence = this.nextSequence; sequence < end; sequence++) {
      if (!this.ownSequences.has(sequence)) return true;
    }
    return false;
  }

  /** Runs `task` after every statement and command before it. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  private parse(sql: string): Statement[] {
    const out: Statement[] = [];
    for (const { text, offset } of splitStatements(sql)) {
      const substituted =
        sql.slice(0, offset).replace(/[^\n]/g, ' ') + substituteVariables(text, this.engine.variables);
      out.push(...parseStatements(substituted, { types: this.engine.metastore.types }));
    }
    return out;
  }

  /** Executes a request's statements in order; a failure answers the entities so far with the error. */
  execute(sql: string, streamsProperties: Record<string, unknown> = {}): Promise<KsqlEntity[]> {
    return this.enqueue(() => this.executeAll(sql, streamsProperties));
  }

  private async executeAll(sql: string, streamsProperties: Record<string, unknown>): Promise<KsqlEntity[]> {
    // A request sees every command recorded before it, wherever it was accepted.
    await this.catchUp();
    const entities: KsqlEntity[] = [];
    // Parsed one at a time: a DEFINE changes how the statements after it read.
    for (const { text, offset } of splitStatements(sql)) {
      let statements: Statement[];
      try {
        const substituted =
          sql.slice(0, offset).replace(/[^\n]/g, ' ') + substituteVariables(text, this.engine.variables);
        statements = parseStatements(substituted, { types: this.engine.metastore.types });
      } catch (error) {
        throw new KsqlRequestError(ERROR_CODES.badStatement, messageOf(error), text.trim(), entities);
      }
      for (const statement of statements) {
        try {
          const entity = await this.executeOne(statement, streamsProperties);
          if (entity) entities.push(entity);
        } catch (error) {
          if (error instanceof KsqlRequestError) throw error;
          throw new KsqlRequestError(ERROR_CODES.badStatement, messageOf(error), statement.text, entities);
        }
      }
    }
    return entities;
  }

  private async executeOne(s: Statement, streamsProperties: Record<string, unknown>): Promise<KsqlEntity | null> {
    const metastore = this.engine.metastore;
    switch (s.kind) {
      case 'query':
        throw new KsqlRequestError(
          ERROR_CODES.queryEndpoint,
          "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
          s.text,
        );
      case 'show':
        return this.list(s.text, s.what, s.extended);
      case 'explain':
        return this.explain(s);
      case 'describe': {
        if (s.what === 'FUNCTION' && s.name !== null) {
          const described = describeFunction(s.text, this.engine.functions, s.name);
          if (described === undefined)
            throw new KsqlRequestError(
              ERROR_CODES.badStatement,
              `Can't find any functions with the name '${s.name}'`,
              s.text,
            );
          return described;
        }
        if (s.what !== 'SOURCE' || s.name === null) return this.list(s.text, s.what, s.extended);
        const source = metastore.source(s.name);
        if (source === undefined)
          throw new KsqlRequestError(
            ERROR_CODES.badStatement,
            `Could not find STREAM/TABLE '${s.name}' in the Metastore`,
            s.text,
          );
        return sourceDescription(s.text, source, metastore, await this.partitionsOf(source.topic), s.extended, (id) =>
          this.queryState(id),
        );
      }
      case 'insertValues': {
        await this.registry?.beforeStatement(s, metastore);
        const { inserted } = this.engine.executeStatement(s);
        if (inserted) {
          await this.producer.send({
            topic: inserted.topic,
            acks: -1,
            messages: [{ key: inserted.key, value: inserted.value, timestamp: String(inserted.timestamp) }],
          });
        }
        return null;
      }
      default:
        break;
    }
    if (
      s.kind === 'createConnector' ||
      s.kind === 'listConnectors' ||
      s.kind === 'describeConnector' ||
      (s.kind === 'drop' && s.type === 'CONNECTOR')
    ) {
      if (this.connect === undefined) {
        throw new KsqlRequestError(
          ERROR_CODES.badStatement,
          'This server has no Kafka Connect cluster to manage connectors: set ksql.connect.url (CONNECT_URL)',
          s.text,
        );
      }
      return this.connect.execute(s as Parameters<ConnectExecutor['execute']>[0]);
    }
    if (!DISTRIBUTED.has(s.kind)) {
      const result = this.engine.executeStatement(s);
      return s.kind === 'set' || s.kind === 'unset'
        ? currentStatus(s.text, '', { status: 'SUCCESS', message: result.message, queryId: null }, -1)
        : null;
    }
    await this.catchUp();
    await this.checkTopics(s);
    await this.registry?.beforeStatement(s, metastore);
    const dropped = s.kind === 'drop' ? metastore.source(s.name)?.topic : undefined;
    // The request's properties (a client's SET) go with the query, as its streams settings.
    const result = this.engine.executeStatement(s, streamsProperties);
    await this.createTopics(s, result.queryId);
    // Sink schemas are registered before the command is recorded, as ksqlDB's SchemaRegisterInjector does.
    await this.registry?.beforeQueries(this.engine.queries(), metastore);
    const commandId = commandIdOf(s);
    const sequenceNumber = await this.commands.append(commandId, s.text, streamsProperties);
    this.ownSequences.add(sequenceNumber);
    if (this.hasUnexecutedBefore(sequenceNumber)) {
      // A peer recorded a command between this server's catch-up and its own: both servers run both.
      this.options.logger.warn({ commandId, sequenceNumber }, 'command recorded after a concurrent one');
    }
    await this.runner.reconcile(this.engine.queries());
    // After the writing query has stopped, so it cannot recreate the topic.
    if (s.kind === 'drop' && s.deleteTopic && dropped !== undefined) {
      await this.admin.deleteTopics({ topics: [dropped] });
    }
    const status: CommandStatus = { status: 'SUCCESS', message: result.message, queryId: result.queryId ?? null };
    this.statuses.set(commandId, status);
    return currentStatus(s.text, commandId, status, sequenceNumber);
  }

  /** EXPLAIN <query id> describes a persistent query; EXPLAIN <SELECT> the push query it would run. */
  private explain(s: Extract<Statement, { kind: 'explain' }>): KsqlEntity {
    const metastore = this.engine.metastore;
    if (s.queryId !== null) {
      const query = metastore.query(s.queryId);
      if (query === undefined)
        throw new KsqlRequestError(
          ERROR_CODES.badStatement,
          `Query with id:${s.queryId} does not exist, use SHOW QUERIES to view the full set of queries.`,
          s.text,
        );
      const failure = this.failedQueries.get(query.id);
      return persistentQueryDescription(s.text, query, metastore, {
        state: this.queryState(query.id),
        host: this.hostInfo,
        consumerGroupId: this.runner.applicationId(query.id),
        errors:
          failure === undefined
            ? []
            : [{ timestamp: failure.timestamp, errorMessage: failure.message, type: 'UNKNOWN' }],
        serverProperties: this.engine.config,
      });
    }
    const inner = s.statement;
    if (inner?.kind !== 'query') {
      // ksqlDB plans a CREATE ... AS SELECT or INSERT INTO in a sandbox; this engine has none.
      throw new KsqlRequestError(
        ERROR_CODES.badStatement,
        'EXPLAIN of a statement is supported for SELECT queries only: run the statement, then EXPLAIN <query id>.',
        s.text,
      );
    }
    // ksqlDB explains any SELECT as the transient push query it would run.
    const query = { ...inner.query, emit: inner.query.emit ?? 'CHANGES' };
    const planned = planTransientQuery(this.engine, query);
    const id = `transient_${planned.source.name}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    let topology = '';
    try {
      const plan = planned.plan ?? planWithKey(this.engine, query);
      topology = buildTopology(plan, TRANSIENT_SINK, {
        queryId: id,
        log: this.engine.processingLog,
        config: this.engine.config,
      }).describe();
    } catch {
      // A projection that cannot be planned as a topology (a table without its key) runs without one.
    }
    return transientQueryDescription(
      s.text,
      {
        id,
        // ksqlDB's text is what follows EXPLAIN, with its semicolon.
        sql: inner.text.endsWith(';') ? inner.text : `${inner.text};`,
        sources: [planned.source.name, ...(planned.plan?.sources.map((r) => r.source.name) ?? [])],
        columns: planned.columnNames.map((name, i) => ({ name, type: planned.columnSqlTypes[i] as SqlType })),
        topology,
        overriddenProperties: {},
      },
      metastore,
    );
  }

  /** ksqlDB refuses a source over a missing topic unless PARTITIONS says how to create it. */
  private async checkTopics(s: Statement): Promise<void> {
    if (s.kind !== 'createSource') return;
    const topic = s.properties.get('KAFKA_TOPIC');
    if (typeof topic !== 'string' || s.properties.has('PARTITIONS')) return;
    if (!(await this.admin.listTopics()).includes(topic)) {
      throw new KsqlStatementError(
        `Topic '${topic}' does not exist. If you want to create a new topic for the ${s.type === 'STREAM' ? 'stream' : 'table'} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${s.type} ${s.name} (...) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=2, REPLICAS=1, ...);`,
        s.text,
      );
    }
  }

  /**
   * Creates the topic of a new source (CREATE with PARTITIONS) or the sink of
   * a new query, which by default has as many partitions as its first source.
   */
  private async createTopics(s: Statement, queryId: string | undefined): Promise<void> {
    const metastore = this.engine.metastore;
    let topic: string | undefined;
    let partitions: number | undefined;
    if (s.kind === 'createSource') {
      topic = metastore.source(s.name)?.topic;
      const p = s.properties.get('PARTITIONS');
      partitions = typeof p === 'number' ? p : undefined;
    } else if (s.kind === 'createAsSelect' && queryId !== undefined) {
      topic = metastore.source(s.name)?.topic;
      const p = s.properties.get('PARTITIONS');
      const firstSource = metastore.query(queryId)?.sources[0];
      const sourceTopic = firstSource === undefined ? undefined : metastore.source(firstSource)?.topic;
      partitions = typeof p === 'number' ? p : sourceTopic ? await this.partitionsOf(sourceTopic) : 1;
    }
    if (topic === undefined || partitions === undefined) return;
    if ((await this.admin.listTopics()).includes(topic)) return;
    const replicas =
      s.kind === 'createSource' || s.kind === 'createAsSelect' ? s.properties.get('REPLICAS') : undefined;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: Math.max(1, partitions),
          replicationFactor: typeof replicas === 'number' ? replicas : 1,
        },
      ],
    });
  }

  private async partitionsOf(topic: string): Promise<number> {
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.length ?? 0;
    } catch {
      return 0;
    }
  }

  private async list(text: string, what: string, _extended: boolean): Promise<KsqlEntity> {
    const metastore = this.engine.metastore;
    switch (what) {
      case 'STREAMS':
        return sourceList(text, metastore, 'STREAM');
      case 'TABLES':
        return sourceList(text, metastore, 'TABLE');
      case 'QUERIES':
        return queryList(text, metastore, (id) => this.queryState(id));
      case 'TOPICS': {
        const names = (await this.admin.listTopics()).filter((t) => !t.startsWith('_')).sort();
        const { topics } = await this.admin.fetchTopicMetadata({ topics: names });
        return kafkaTopics(
          text,
          topics.map((t) => ({ name: t.name, partitions: t.partitions.length })),
        );
      }
      case 'TYPES':
        return typeList(text, metastore.types);
      case 'FUNCTIONS':
        return functionNames(text, this.engine.functions);
      case 'PROPERTIES':
        return propertiesList(text, {
          'ksql.service.id': this.serviceId,
          'bootstrap.servers': this.options.bootstrapServers.join(','),
          ...this.engine.config,
        });
      default:
        throw new KsqlRequestError(ERROR_CODES.badStatement, `SHOW ${what} is not supported by this server.`, text);
    }
  }

  /** Every command's last status, as `GET /status` answers them (ksqlDB's CommandStatuses). */
  commandStatuses(): Record<string, CommandStatus['status']> {
    return Object.fromEntries([...this.statuses].map(([id, status]) => [id, status.status]));
  }

  /** One command's status, or undefined when no such command was recorded. */
  commandStatus(commandId: string): CommandStatus | undefined {
    return this.statuses.get(commandId);
  }

  /** ksqlDB's KsqlQueryStatus: RUNNING, ERROR (or UNRESPONSIVE while it starts). */
  queryState(queryId: string): string {
    const state = this.runner.state(queryId);
    // A failed query is restarted (QueryRunner): ERROR until it runs again.
    if (state === 'ERROR' || (this.failedQueries.has(queryId) && state !== 'RUNNING')) return 'ERROR';
    return state === 'RUNNING' || state === 'REBALANCING' ? 'RUNNING' : 'UNRESPONSIVE';
  }

  async clusterId(): Promise<string> {
    try {
      return (await this.admin.describeCluster()).clusterId;
    } catch {
      return '';
    }
  }

  /** Healthy while Kafka answers (ksqlDB checks its metastore and Kafka). */
  async health(): Promise<{ isHealthy: boolean; details: Record<string, { isHealthy: boolean }> }> {
    const kafka = this.running && (await this.clusterId()) !== '';
    return {
      isHealthy: this.running && kafka,
      details: { metastore: { isHealthy: this.running }, kafka: { isHealthy: kafka } },
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    await this.queue.catch(() => {});
    await this.runner.close();
    await this.commands.stop();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }
}

/** ksqlDB's CommandId: `<type>/<entity>/<action>`. */
function commandIdOf(s: Statement): string {
  switch (s.kind) {
    case 'createSource':
    case 'createAsSelect':
      return `${s.type.toLowerCase()}/${s.name}/create`;
    case 'insertInto':
      return `stream/${s.target}/create`;
    case 'drop':
      return `${s.type.toLowerCase()}/${s.name}/drop`;
    case 'alter':
      return `${s.type.toLowerCase()}/${s.name}/alter`;
    case 'terminate':
      return `terminate/${s.queryId ?? 'ALL'}/execute`;
    case 'createType':
      return `type/${s.name}/create`;
    default:
      return `cluster/CLUSTER/execute`;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { DataSource };
