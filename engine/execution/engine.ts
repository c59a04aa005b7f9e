/**
 * The engine: executes statements against the metastore. DDL changes the
 * metastore; CREATE ... AS SELECT and INSERT INTO ... SELECT analyze the
 * query (analyzer/), plan it (planner/) and register a persistent query
 * with its topology; INSERT ... VALUES serializes one record for the runtime
 * to write. Running the topologies is the caller's job (the conformance
 * runner's test drivers now, the Kafka runner later).
 */

import { AnalysisError, compileExpression } from '../analyzer/expressions.ts';
import { analyzeQuery } from '../analyzer/query-analyzer.ts';
import { createFunctionRegistry, type FunctionRegistry } from '../functions/index.ts';
import { type DataSource, MetaStore, type PersistentQuery } from '../metastore/metastore.ts';
import type { ColumnDef, Properties, Query, Statement } from '../parser/ast.ts';
import { substituteVariables } from '../parser/lexer.ts';
import { parseStatements } from '../parser/parser.ts';
import type { LogicalPlan, OutputColumn } from '../planner/logical-plan.ts';
import { buildTopology, sourceKeySerde, sourceValueSerde } from '../planner/physical-plan.ts';
import { ProcessingLogger, processingLogStreamSql, processingLogTopic } from '../processing-log/processing-log.ts';
import type { FormatName, FormatOptions } from '../serde/formats.ts';
import { columnsFromSchema } from '../serde/schema-inference.ts';
import { InMemorySchemaRegistry, referencedSchemas, type SchemaRegistryClient } from '../serde/schema-registry.ts';
import { type Column, formatSchema, type LogicalSchema, RESERVED_COLUMNS, type Row } from '../types/schema.ts';
import { formatType, isNumeric, type SqlType, typesEqual } from '../types/sql-type.ts';
import { castValue, coerce } from '../types/values.ts';
import { checkFormats, stringProp, timestampOf, windowOf, withClauseFormats } from './properties.ts';
import { autoOffsetResetOf, cacheMaxBytesOf } from './query-properties.ts';
import { splitStatements } from './split.ts';

/** An error in a statement, with ksqlDB's message; `statement` is the text that failed. */
export class KsqlStatementError extends Error {
  override name = 'KsqlStatementException';
  constructor(
    message: string,
    readonly statement: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface InsertedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

export interface StatementResult {
  readonly statement: Statement;
  readonly message: string;
  readonly queryId?: string;
  readonly inserted?: InsertedRecord;
}

export interface EngineOptions {
  readonly config?: Readonly<Record<string, unknown>>;
  readonly schemaRegistry?: SchemaRegistryClient;
  readonly functions?: FunctionRegistry;
  /** Clock for INSERT ... VALUES without ROWTIME. */
  readonly now?: () => number;
}

export class KsqlEngine {
  readonly metastore = new MetaStore();
  readonly functions: FunctionRegistry;
  readonly processingLog: ProcessingLogger;
  readonly schemaRegistry: SchemaRegistryClient;
  readonly config: Record<string, unknown>;
  readonly variables = new Map<string, string>();
  private readonly now: () => number;

  constructor(options: EngineOptions = {}) {
    this.functions = options.functions ?? createFunctionRegistry();
    this.schemaRegistry = options.schemaRegistry ?? new InMemorySchemaRegistry();
    this.config = { ...(options.config ?? {}) };
    this.now = options.now ?? Date.now;
    this.processingLog = new ProcessingLogger(this.now);
    // ksqlDB defines its processing log stream on start, outside the command topic.
    if (String(this.config['ksql.logging.processing.stream.auto.create'] ?? false) === 'true') {
      const serviceId = String(this.config['ksql.service.id'] ?? 'default_');
      this.execute(processingLogStreamSql(processingLogTopic(serviceId)));
    }
  }

  /** Overrides for the statement being executed (a server request's streamsProperties). */
  private overrides: Readonly<Record<string, unknown>> = {};

  /** The properties a query created now runs with. */
  private queryProperties(): Record<string, unknown> {
    return { ...this.config, ...this.overrides };
  }

  /** Executes every statement in `sql`, in order; the first failure throws and stops. */
  execute(sql: string): StatementResult[] {
    const results: StatementResult[] = [];
    for (const { text, offset } of splitStatements(sql)) {
      // Blanked-out text before the statement keeps error lines and columns those of the script.
      const substituted = sql.slice(0, offset).replace(/[^\n]/g, ' ') + substituteVariables(text, this.variables);
      for (const statement of parseStatements(substituted, { types: this.metastore.types })) {
        results.push(this.executeStatement(statement));
      }
    }
    return results;
  }

  executeStatement(statement: Statement, overrides: Readonly<Record<string, unknown>> = {}): StatementResult {
    this.overrides = overrides;
    try {
      // A bad streams setting fails the statement before it changes anything, not the query each time it starts.
      const properties = this.queryProperties();
      cacheMaxBytesOf(properties);
      autoOffsetResetOf(properties);
      return this.run(statement);
    } catch (error) {
      if (error instanceof KsqlStatementError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new KsqlStatementError(message, statement.text, error);
    } finally {
      this.overrides = {};
    }
  }

  private run(s: Statement): StatementResult {
    const done = (message: string, extra: Partial<StatementResult> = {}): StatementResult => ({
      statement: s,
      message,
      ...extra,
    });
    switch (s.kind) {
      case 'createSource':
        this.createSource(s);
        return done(`${s.type === 'STREAM' ? 'Stream' : 'Table'} created`);
      case 'createAsSelect': {
        const queryId = this.createAsSelect(s);
        return done(`Created query with ID ${queryId}`, queryId ? { queryId } : {});
      }
      case 'insertInto': {
        const queryId = this.insertInto(s);
        return done(`Created query with ID ${queryId}`, { queryId });
      }
      case 'insertValues':
        return done('', { inserted: this.insertValues(s) });
      case 'drop':
        return done(this.drop(s));
      case 'terminate':
        if (s.queryId === null) for (const q of this.metastore.allQueries()) this.metastore.removeQuery(q.id);
        else {
          if (!this.metastore.query(s.queryId)) throw new AnalysisError(`Unknown queryId: ${s.queryId}`);
          this.metastore.removeQuery(s.queryId);
        }
        return done('Query terminated.');
      case 'alter':
        return done(this.alter(s));
      case 'set':
        this.config[s.name] = s.value;
        return done(`Successfully set ${s.name} to ${s.value}`);
      case 'unset':
        delete this.config[s.name];
        return done(`Successfully unset ${s.name}`);
      case 'define':
        this.variables.set(s.name.toUpperCase(), s.value);
        return done('');
      case 'undefine':
        this.variables.delete(s.name.toUpperCase());
        return done('');
      case 'createType':
        if (this.metastore.types.has(s.name) && !s.ifNotExists)
          throw new AnalysisError(
            `Cannot register custom type '${s.name}' since it is already registered with type: ${formatType(this.metastore.types.get(s.name)!)}`,
          );
        this.metastore.types.set(s.name, s.type);
        return done(`Registered custom type with name '${s.name}' and SQL type ${formatType(s.type)}`);
      case 'show':
        return done(this.show(s.what));
      case 'describe': {
        const source = s.name ? this.metastore.source(s.name) : undefined;
        if (s.what === 'SOURCE' && source === undefined)
          throw new AnalysisError(`Could not find STREAM/TABLE '${s.name}' in the Metastore`);
        return done(source ? `${source.name} (${formatSchema(source.schema)})` : this.show(s.what));
      }
      case 'explain': {
        const q = s.queryId ? this.metastore.query(s.queryId) : undefined;
        if (s.queryId && q === undefined)
          throw new AnalysisError(
            `Query with id:${s.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`,
          );
        return done(q ? `${q.sql}\n${q.topology.describe()}` : '');
      }
      case 'query':
        throw new AnalysisError(
          'Transient (push and pull) queries need a running server; only persistent queries run here.',
        );
      case 'createConnector':
      case 'listConnectors':
      case 'describeConnector':
        throw new AnalysisError(
          'Connector statements need a running server with a Connect URL (ksql.connect.url); the engine has no Connect cluster.',
        );
    }
  }

  private show(what: string): string {
    switch (what) {
      case 'STREAMS':
      case 'TABLES': {
        const type = what === 'STREAMS' ? 'STREAM' : 'TABLE';
        return this.metastore
          .allSources()
          .filter((x) => x.type === type)
          .map((x) => `${x.name} | ${x.topic} | ${x.keyFormat} | ${x.valueFormat}`)
          .join('\n');
      }
      case 'TOPICS':
        return this.metastore
          .allTopics()
          .map((t) => t.name)
          .join('\n');
      case 'QUERIES':
        return this.metastore
          .allQueries()
          .map((q) => `${q.id} | ${q.sink} | ${q.sql}`)
          .join('\n');
      case 'FUNCTIONS':
        return this.functions.names().join('\n');
      case 'PROPERTIES':
        return Object.entries(this.config)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join('\n');
      default:
        return '';
    }
  }

  // ---------------------------------------------------------------- DDL

  private createSource(s: Extract<Statement, { kind: 'createSource' }>): void {
    const noun = s.type === 'STREAM' ? 'stream' : 'table';
    const existing = this.metastore.source(s.name);
    if (s.orReplace && (s.readOnly || existing?.readOnly)) {
      throw new AnalysisError(`Cannot add ${noun} '${s.name}': CREATE OR REPLACE is not supported on source ${noun}s.`);
    }
    if (existing && !s.orReplace) {
      if (s.ifNotExists) return;
      throw new AnalysisError(
        `Cannot add ${noun} '${s.name}': A ${existing.type === 'STREAM' ? 'stream' : 'table'} with the same name already exists`,
      );
    }
    const props = s.properties;
    const topic = stringProp(props, 'KAFKA_TOPIC');
    if (topic === null) throw new AnalysisError('Missing required property "KAFKA_TOPIC" which has no default value.');
    const formats = withClauseFormats(props, { config: this.config, registry: this.schemaRegistry }, null);
    const schema = this.inferMissingColumns(topic, formats, props, this.declaredSchema(s.type, s.columns ?? [], true));
    if (s.type === 'TABLE' && schema.key.length === 0) {
      throw new AnalysisError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
    }
    if (schema.key.length === 0 && schema.value.length === 0)
      throw new AnalysisError('The statement does not define any columns.');
    const window = windowOf(props);
    const timestamp = timestampOf(props, schema);
    checkFormats(formats, schema);
    const source: DataSource = {
      name: s.name,
      type: s.type,
      topic,
      schema,
      ...formats,
      timestamp,
      window,
      readOnly: s.readOnly,
      declared: true,
      sql: s.text,
    };
    this.registerTopic(topic, props);
    this.metastore.putSource(source);
  }

  /**
   * Fills in the key or value columns a statement leaves out from the
   * schema registry, for formats that have one: the schema given by
   * KEY_SCHEMA_ID / VALUE_SCHEMA_ID, else the subject's latest.
   */
  private inferMissingColumns(
    topic: string,
    formats: { keyFormat: FormatName; valueFormat: FormatName },
    props: Properties,
    declared: LogicalSchema,
  ): LogicalSchema {
    const registryFormats: readonly FormatName[] = ['AVRO', 'JSON_SR', 'PROTOBUF'];
    const lookup = (isKey: boolean) => {
      const idProp = props.get(isKey ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
      if (typeof idProp === 'number') return this.schemaRegistry.getById(idProp);
      return this.schemaRegistry.latest(`${topic}-${isKey ? 'key' : 'value'}`);
    };
    let { key, value } = declared;
    if (key.length === 0 && registryFormats.includes(formats.keyFormat)) {
      const schema = lookup(true);
      if (schema) {
        const imports = referencedSchemas(this.schemaRegistry, schema);
        key = columnsFromSchema(schema, 'ROWKEY', stringProp(props, 'KEY_SCHEMA_FULL_NAME'), imports);
      }
    }
    if (value.length === 0 && registryFormats.includes(formats.valueFormat)) {
      const schema = lookup(false);
      if (schema) {
        const keyNames = new Set(key.map((k) => k.name));
        const imports = referencedSchemas(this.schemaRegistry, schema);
        value = columnsFromSchema(schema, 'ROWVAL', stringProp(props, 'VALUE_SCHEMA_FULL_NAME'), imports).filter(
          (c) => !keyNames.has(c.name),
        );
      }
    }
    return { key, value };
  }

  private declaredSchema(type: 'STREAM' | 'TABLE', columns: readonly ColumnDef[], allowNoKey = false): LogicalSchema {
    const key: Column[] = [];
    const value: Column[] = [];
    const seen = new Set<string>();
    for (const c of columns) {
      if (RESERVED_COLUMNS.has(c.name)) throw new AnalysisError(`'${c.name}' is a reserved column name.`);
      if (seen.has(c.name)) throw new AnalysisError(`Duplicate column names: ${c.name}`);
      seen.add(c.name);
      if (type === 'STREAM' && c.primaryKey) {
        throw new AnalysisError(
          `Column \`${c.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
        );
      }
      if (type === 'TABLE' && c.key && !c.primaryKey) {
        throw new AnalysisError(
          `Column \`${c.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
        );
      }
      if (c.key) key.push({ name: c.name, type: c.type });
      else value.push({ name: c.name, type: c.type, header: c.header });
    }
    if (type === 'TABLE' && key.length === 0 && !allowNoKey) {
      throw new AnalysisError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
    }
    return { key, value };
  }

  private registerTopic(topic: string, props: Properties): void {
    const partitions = props.get('PARTITIONS');
    const replicas = props.get('REPLICAS');
    this.metastore.putTopic({
      name: topic,
      partitions: typeof partitions === 'number' ? partitions : 1,
      replicas: typeof replicas === 'number' ? replicas : 1,
    });
  }

  // ---------------------------------------------------------------- persistent queries

  private createAsSelect(s: Extract<Statement, { kind: 'createAsSelect' }>): string | undefined {
    const noun = s.type === 'STREAM' ? 'stream' : 'table';
    const existing = this.metastore.source(s.name);
    if (existing && !s.orReplace) {
      if (s.ifNotExists) return undefined;
      throw new AnalysisError(
        `Cannot add ${noun} '${s.name}': A ${existing.type === 'STREAM' ? 'stream' : 'table'} with the same name already exists`,
      );
    }
    if (existing?.readOnly)
      throw new AnalysisError(`Cannot add ${noun} '${s.name}': CREATE OR REPLACE is not supported on source ${noun}s.`);
    const plan = this.plan(s.query, s.name);
    if (plan.resultType !== s.type) {
      if (s.type === 'TABLE') {
        throw new AnalysisError(
          `Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.`,
        );
      }
      throw new AnalysisError(
        `Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.`,
      );
    }
    const first = plan.sources[0]?.source as DataSource;
    const props = s.properties;
    const formats = withClauseFormats(props, { config: this.config, registry: this.schemaRegistry }, first);
    if (formats.keyFormat === 'NONE' && plan.schema.key.length > 0) formats.keyFormat = 'KAFKA';
    if (plan.schema.key.length === 0) {
      const explicit = stringProp(props, 'KEY_FORMAT') ?? stringProp(props, 'FORMAT');
      if (explicit !== null && explicit.toUpperCase() !== 'NONE') {
        throw new AnalysisError('Key format specified for stream without key columns.');
      }
      formats.keyFormat = 'NONE';
    }
    this.checkSinkFormats(formats, plan);
    const topic = stringProp(props, 'KAFKA_TOPIC') ?? s.name;
    const timestamp = timestampOf(props, plan.schema);
    const queryId =
      existing && s.orReplace
        ? (this.metastore.queriesWriting(s.name).find((q) => !q.id.startsWith('INSERTQUERY'))?.id ??
          this.nextQueryId(s.type, s.name))
        : this.nextQueryId(s.type, s.name);
    const topology = buildTopology(
      plan,
      { topic, ...formats, timestampColumn: timestamp?.column ?? null, timestampFormat: timestamp?.format ?? null },
      { queryId, log: this.processingLog, config: this.config },
    );
    this.registerTopic(topic, props);
    this.metastore.putSource({
      name: s.name,
      type: s.type,
      topic,
      schema: plan.schema,
      ...formats,
      timestamp,
      window: plan.window
        ? { type: plan.window.type, sizeMs: plan.window.type === 'SESSION' ? null : plan.window.sizeMs }
        : null,
      readOnly: false,
      declared: false,
      sql: s.text,
    });
    this.metastore.putQuery({
      id: queryId,
      sql: s.text,
      sink: s.name,
      sources: plan.sources.map((r) => r.source.name),
      topology,
      properties: this.queryProperties(),
    });
    return queryId;
  }

  private nextQueryId(type: 'STREAM' | 'TABLE', name: string): string {
    return this.metastore.nextQueryId(`${type === 'STREAM' ? 'CSAS' : 'CTAS'}_${name}`);
  }

  private plan(query: Query, sinkName: string): LogicalPlan {
    return analyzeQuery(query, this.metastore, this.functions, { sinkName, config: this.config });
  }

  private checkSinkFormats(
    formats: { keyFormat: FormatName; valueFormat: FormatName; valueOptions: FormatOptions },
    plan: LogicalPlan,
  ): void {
    if (
      plan.aggregation &&
      formats.valueFormat === 'DELIMITED' &&
      plan.aggregation.aggregates.some((a) => a.fn.complexIntermediate)
    ) {
      throw new AnalysisError(
        'One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.',
      );
    }
    checkFormats(formats, plan.schema);
  }

  private insertInto(s: Extract<Statement, { kind: 'insertInto' }>): string {
    const target = this.metastore.source(s.target);
    if (target === undefined) {
      throw new AnalysisError(
        `Line: ${s.targetPos.line}, Col: ${s.targetPos.column}: Source \`${s.target}\` does not exist.`,
      );
    }
    const noun = target.type === 'STREAM' ? 'stream' : 'table';
    if (target.type === 'TABLE')
      throw new AnalysisError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`);
    if (target.readOnly) throw new AnalysisError(`Cannot insert into read-only ${noun}: ${target.name}`);
    const plan = this.plan(s.query, s.target);
    if (plan.resultType !== 'STREAM')
      throw new AnalysisError(
        `Incompatible data sink and query result. Data sink (${target.name}) type is KSTREAM but select query result is KTABLE.`,
      );
    const castPlan = implicitlyCast(plan, target.schema);
    if (castPlan === null) {
      throw new AnalysisError(
        `Incompatible schema between results and sink.\nResult schema is ${formatSchema(plan.schema)}\nSink schema is ${formatSchema(target.schema)}`,
      );
    }
    const queryId = this.metastore.nextQueryId('INSERTQUERY');
    const topology = buildTopology(
      castPlan,
      {
        topic: target.topic,
        keyFormat: target.keyFormat,
        valueFormat: target.valueFormat,
        keyOptions: target.keyOptions,
        valueOptions: target.valueOptions,
        timestampColumn: target.timestamp?.column ?? null,
        timestampFormat: target.timestamp?.format ?? null,
      },
      { queryId, log: this.processingLog, config: this.config },
    );
    this.metastore.putQuery({
      id: queryId,
      sql: s.text,
      sink: target.name,
      sources: plan.sources.map((r) => r.source.name),
      topology,
      properties: this.queryProperties(),
    });
    return queryId;
  }

  private insertValues(s: Extract<Statement, { kind: 'insertValues' }>): InsertedRecord {
    const target = this.metastore.source(s.target);
    if (target === undefined) throw new AnalysisError(this.unknownInsertTarget(s.target));
    if (target.readOnly)
      throw new AnalysisError(
        `Cannot insert values into read-only ${target.type === 'STREAM' ? 'stream' : 'table'}: ${target.name}`,
      );
    const columns = [...target.schema.key, ...target.schema.value.filter((c) => !c.header)];
    if (s.columns !== null && s.columns !== undefined && s.columns.length !== s.values.length) {
      // ksqlDB's parser checks this before looking at the target.
      throw new AnalysisError(
        `Failed to prepare statement: Expected number columns and values to match: ${s.columns.length}, ${s.values.length}`,
      );
    }
    const pseudo = s.columns?.find((name) => name === 'ROWPARTITION' || name === 'ROWOFFSET');
    if (pseudo !== undefined) throw new AnalysisError(`Inserting into column \`${pseudo}\` is not allowed.`);
    const names =
      s.columns ?? ['ROWTIME', ...columns.map((c) => c.name)].slice(s.values.length === columns.length ? 1 : 0);
    if (names.length !== s.values.length) {
      throw new AnalysisError(
        `Expected a value for each column. Expected Columns: [${names.join(', ')}]. Got ${s.values.length} values.`,
      );
    }
    const row: Row = {};
    let timestamp = this.now();
    const scope = {
      clause: 'VALUES',
      column: (qualifier: string | null, name: string): never => {
        if (qualifier !== null && this.metastore.source(qualifier) === undefined) {
          throw new AnalysisError(
            `Failed to prepare statement: '${qualifier}' is not a valid stream/table name or alias.`,
          );
        }
        throw new AnalysisError(`INSERT INTO VALUES cannot reference column ${name}`);
      },
    };
    names.forEach((name, i) => {
      const compiled = compileExpression(s.values[i]!, scope, this.functions);
      const value = compiled.evaluate({});
      if (name === 'ROWTIME') {
        timestamp = Number(value);
        return;
      }
      const col = columns.find((c) => c.name === name);
      if (col === undefined) throw new AnalysisError(`Column name ${name} does not exist.`);
      row[name] =
        value === null ? null : typesEqual(compiled.type, col.type) ? value : castOrCoerce(value, compiled.type, col);
    });
    const key = target.schema.key.map((c) => row[c.name] ?? null);
    const value: Row = {};
    for (const c of target.schema.value) value[c.name] = row[c.name] ?? null;
    return {
      topic: target.topic,
      key: sourceKeySerde(target).serialize(target.topic, key),
      value: sourceValueSerde(target).serialize(target.topic, value),
      timestamp,
    };
  }

  /** ksqlDB's hint when the name differs only in case from an existing source. */
  private unknownInsertTarget(name: string): string {
    const similar = this.metastore.allSources().find((x) => x.name.toUpperCase() === name.toUpperCase());
    let hint = '';
    if (similar && similar.name !== name) {
      hint =
        similar.name === similar.name.toUpperCase()
          ? `\nDid you mean ${similar.name}? Hint: try removing double quotes from the source name.`
          : `\nDid you mean "${similar.name}"? Hint: wrap the source name in double quotes to make it case-sensitive.`;
    }
    return `Cannot insert values into an unknown stream/table: \`${name}\`${hint}`;
  }

  private drop(s: Extract<Statement, { kind: 'drop' }>): string {
    if (s.type === 'TYPE') {
      if (!this.metastore.types.delete(s.name) && !s.ifExists)
        throw new AnalysisError(`Type ${s.name} does not exist.`);
      return 'Dropped type';
    }
    if (s.type === 'CONNECTOR') return 'Dropped connector';
    const source = this.metastore.source(s.name);
    if (source === undefined) {
      if (s.ifExists) return `Source ${s.name} does not exist.`;
      throw new AnalysisError(`Source ${s.name} does not exist.`);
    }
    if (source.type !== s.type) {
      throw new AnalysisError(`Incompatible data source type is ${source.type}, but statement was DROP ${s.type}`);
    }
    if (s.deleteTopic && source.readOnly)
      throw new AnalysisError(`Cannot delete topic for read-only source: ${source.name}`);
    const writers = this.metastore.queriesWriting(s.name);
    const readers = this.metastore.queriesReading(s.name);
    if (readers.length > 0 || writers.some((q) => q.id.startsWith('INSERTQUERY'))) {
      const ids = [...new Set([...readers, ...writers].map((q) => q.id))];
      throw new AnalysisError(
        `Cannot drop ${s.name}.\nThe following queries read from this source: [${readers.map((q) => q.id).join(', ')}].\nThe following queries write into this source: [${writers.map((q) => q.id).join(', ')}].\nYou need to terminate them before dropping ${s.name}.${ids.length ? '' : ''}`,
      );
    }
    for (const q of writers) this.metastore.removeQuery(q.id);
    this.metastore.dropSource(s.name);
    return `Source \`${s.name}\` (topic: ${source.topic}) was dropped.`;
  }

  private alter(s: Extract<Statement, { kind: 'alter' }>): string {
    const source = this.metastore.source(s.name);
    const noun = s.type === 'STREAM' ? 'stream' : 'table';
    if (source === undefined) throw new AnalysisError(`Source ${s.name} does not exist.`);
    if (source.readOnly)
      throw new AnalysisError(
        `Cannot alter ${noun} '${s.name}': ALTER operations are not supported on source ${noun}s.`,
      );
    if (!source.declared) throw new AnalysisError(`ALTER command is not supported for CREATE ... AS statements.`);
    for (const c of s.columns) {
      if (source.schema.key.some((k) => k.name === c.name) || source.schema.value.some((v) => v.name === c.name)) {
        throw new AnalysisError(
          `Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`,
        );
      }
    }
    this.metastore.putSource({
      ...source,
      schema: {
        key: source.schema.key,
        value: [...source.schema.value, ...s.columns.map((c) => ({ name: c.name, type: c.type }))],
      },
    });
    return `${noun} ${s.name} altered`;
  }

  /** Every persistent query, for the runtime. */
  queries(): PersistentQuery[] {
    return this.metastore.allQueries();
  }
}

function castOrCoerce(value: unknown, from: SqlType, col: Column): unknown {
  try {
    return castValue(value, from, col.type);
  } catch {
    return coerce(value, col.type);
  }
}

/**
 * INSERT INTO accepts a result whose columns match the sink's by name and
 * whose types equal them or widen to them (INT -> BIGINT -> DECIMAL -> DOUBLE);
 * the widened columns are cast on the way out. Null when they do not fit.
 */
function implicitlyCast(plan: LogicalPlan, sink: LogicalSchema): LogicalPlan | null {
  const sinkValues = sink.value.filter((c) => !c.header);
  const sameKey =
    plan.schema.key.length === sink.key.length &&
    plan.schema.key.every((c, i) => c.name === sink.key[i]?.name && typesEqual(c.type, sink.key[i]!.type));
  if (!sameKey || plan.valueColumns.length !== sinkValues.length) return null;
  const valueColumns: OutputColumn[] = [];
  for (const [i, v] of plan.valueColumns.entries()) {
    const target = sinkValues[i] as Column;
    if (v.column.name !== target.name) return null;
    if (typesEqual(v.column.type, target.type)) {
      valueColumns.push(v);
      continue;
    }
    const rank = (t: SqlType) => ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'].indexOf(t.base);
    if (!isNumeric(v.column.type) || !isNumeric(target.type) || rank(v.column.type) > rank(target.type)) return null;
    const from = v.column.type;
    const to = target.type;
    valueColumns.push({
      column: target,
      compiled: { type: to, evaluate: (row) => castValue(v.compiled.evaluate(row), from, to) },
    });
  }
  return { ...plan, valueColumns, schema: { key: plan.schema.key, value: valueColumns.map((v) => v.column) } };
}
