/**
 * Runs one QTT case the way ksqlDB's test executor does: execute the
 * statements; if an exception is expected, the statements must fail with a
 * message containing the expected one. Otherwise every persistent query gets
 * a TopologyTestDriver (caching off); each input record is piped into the
 * queries reading its topic, and what a query writes to a topic another
 * query reads is piped on, in order. Then, per expected output topic: the
 * number of records, their order, keys (with window bounds), values
 * (doubles within 1e-6) and timestamps where given; and the `post` sources'
 * schemas and types.
 */
import { Serdes, TopologyTestDriver } from '../../topology/index.ts';
import { KsqlEngine, KsqlStatementError } from '../execution/engine.ts';
import { createFunctionRegistry } from '../functions/index.ts';
import { addTestFunctions } from '../functions/test-functions.ts';
import type { DataSource, PersistentQuery } from '../metastore/metastore.ts';
import { SqlSyntaxError } from '../parser/errors.ts';
import { parseTableElements } from '../parser/parser.ts';
import type { SchemaReference, SchemaType } from '../serde/schema-registry.ts';
import { formatSchema } from '../types/schema.ts';
import { describeDifference } from './compare.ts';
import type { QttRecord, QttRun, QttSchemaReference, QttTopic } from './qtt.ts';
import { keyBytes, readKey, readValue, valueBytes } from './test-records.ts';

export type FailureCategory =
  | 'unsupported feature'
  | 'wrong output'
  | 'wrong response'
  | 'wrong error'
  | 'crash'
  | 'timeout';

export interface CaseResult {
  readonly file: string;
  readonly name: string;
  readonly format: string | null;
  readonly passed: boolean;
  readonly category?: FailureCategory;
  readonly reason?: string;
}

interface ActualRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/** Runs one case; never throws (an exception is the case's failure). */
export function runCase(run: QttRun): CaseResult {
  try {
    return runCaseOrThrow(run);
  } catch (error) {
    const reason = (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error);
    return { file: run.file, name: run.name, format: run.format, passed: false, category: 'crash', reason };
  }
}

function runCaseOrThrow(run: QttRun): CaseResult {
  const base = { file: run.file, name: run.name, format: run.format };
  const fail = (category: FailureCategory, reason: string): CaseResult => ({
    ...base,
    passed: false,
    category,
    reason,
  });
  const test = run.test;
  const engine = new KsqlEngine({
    config: { ...(test.properties ?? {}) },
    now: () => 0,
    functions: addTestFunctions(createFunctionRegistry()),
  });
  registerTopicSchemas(engine, test.topics ?? []);
  const inserted: ActualRecord[] = [];
  let statementError: unknown = null;
  try {
    for (const [i, statement] of test.statements.entries()) {
      // Statements are joined by newlines, as ksqlDB's runner does, so error lines count from the first.
      const padded = `${'\n'.repeat(i)}${statement}`;
      for (const r of engine.execute(padded)) if (r.inserted) inserted.push(r.inserted);
    }
  } catch (error) {
    statementError = error;
  }

  const expected = test.expectedException;
  if (expected) {
    if (statementError === null) {
      // ksqlDB also raises some expected exceptions while processing (StreamsException); those we do not model.
      return fail(
        'wrong error',
        `expected ${expected.type ?? 'an exception'}: ${expected.message ?? ''} but the statements succeeded`,
      );
    }
    const message = (statementError as Error).message ?? String(statementError);
    if (expected.message !== undefined && !message.includes(expected.message)) {
      return fail(
        'wrong error',
        `expected message containing ${JSON.stringify(expected.message)}, got ${JSON.stringify(message)}`,
      );
    }
    if (
      expected.type?.endsWith('ParseFailedException') &&
      !(statementError instanceof KsqlStatementError || statementError instanceof SqlSyntaxError)
    ) {
      return fail('wrong error', `expected a parse failure, got ${(statementError as Error).name}`);
    }
    return { ...base, passed: true };
  }
  if (statementError !== null) {
    const message = statementError instanceof Error ? statementError.message : String(statementError);
    return fail('unsupported feature', `statement failed: ${message.split('\n')[0]}`);
  }

  let actual: ActualRecord[];
  try {
    actual = pipe(engine, test.inputs ?? [], inserted);
  } catch (error) {
    return fail(
      'crash',
      `while processing: ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)}`,
    );
  }

  const outputs = test.outputs ?? [];
  const topics = [...new Set(outputs.map((o) => o.topic))];
  for (const topic of topics) {
    const want = outputs.filter((o) => o.topic === topic);
    const got = actual.filter((a) => a.topic === topic);
    const source = sinkFor(engine, topic);
    if (source === undefined) return fail('wrong output', `no source writes to topic ${topic}`);
    if (want.length !== got.length) {
      const shown = got
        .slice(0, 6)
        .map((g) => show(source, g))
        .join('; ');
      return fail(
        'wrong output',
        `topic ${topic}: expected ${want.length} records, got ${got.length}${got.length ? `: ${shown}` : ''}`,
      );
    }
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as QttRecord;
      const g = got[i] as ActualRecord;
      let key: ReturnType<typeof readKey>;
      let value: unknown;
      try {
        key = readKey(source, g.key);
        value = readValue(source, g.value);
      } catch (error) {
        return fail('wrong output', `topic ${topic} record ${i}: cannot read output: ${(error as Error).message}`);
      }
      const keyDiff = describeDifference(w.key ?? null, key.key);
      if (keyDiff) return fail('wrong output', `topic ${topic} record ${i}: key ${keyDiff}`);
      if (w.window && (key.window?.start !== w.window.start || key.window?.end !== w.window.end)) {
        return fail(
          'wrong output',
          `topic ${topic} record ${i}: window expected ${JSON.stringify(w.window)}, got ${JSON.stringify(key.window)}`,
        );
      }
      const valueDiff = describeDifference(w.value ?? null, value);
      if (valueDiff) return fail('wrong output', `topic ${topic} record ${i}: value ${valueDiff}`);
      if (w.timestamp !== undefined && w.timestamp !== g.timestamp) {
        return fail(
          'wrong output',
          `topic ${topic} record ${i}: timestamp expected ${w.timestamp}, got ${g.timestamp}`,
        );
      }
    }
  }

  for (const post of test.post?.sources ?? []) {
    const source = engine.metastore.source(post.name);
    if (source === undefined) return fail('wrong output', `post: source ${post.name} does not exist`);
    if (post.type && post.type.toUpperCase() !== source.type) {
      return fail('wrong output', `post: ${post.name} is a ${source.type}, expected ${post.type}`);
    }
    if (post.schema) {
      const cols = parseTableElements(post.schema, { types: engine.metastore.types });
      const expectedSchema = formatSchema({
        key: cols.filter((c) => c.key).map((c) => ({ name: c.name, type: c.type })),
        value: cols.filter((c) => !c.key).map((c) => ({ name: c.name, type: c.type })),
      });
      const actualSchema = formatSchema(source.schema);
      if (expectedSchema !== actualSchema)
        return fail('wrong output', `post: ${post.name} schema expected ${expectedSchema}, got ${actualSchema}`);
    }
    const keyFormat = post.keyFormat?.format;
    if (keyFormat && keyFormat.toUpperCase() !== source.keyFormat) {
      return fail('wrong output', `post: ${post.name} key format expected ${keyFormat}, got ${source.keyFormat}`);
    }
  }
  return { ...base, passed: true };
}

const SCHEMA_TYPES: Record<string, SchemaType> = { AVRO: 'AVRO', JSON_SR: 'JSON', PROTOBUF: 'PROTOBUF' };

/** The schemas a case's `topics` declare, registered under `<topic>-key` / `<topic>-value` before the statements run. */
export function registerTopicSchemas(engine: KsqlEngine, topics: readonly QttTopic[]): void {
  for (const t of topics) {
    for (const side of ['key', 'value'] as const) {
      const schema = side === 'key' ? t.keySchema : t.valueSchema;
      const format = (side === 'key' ? t.keyFormat : t.valueFormat) ?? '';
      const type = SCHEMA_TYPES[format.toUpperCase()];
      if (schema === undefined || type === undefined) continue;
      const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
      const id = side === 'key' ? t.keySchemaId : t.valueSchemaId;
      const subject = `${t.name}-${side}`;
      const references = registerReferences(
        engine,
        (side === 'key' ? t.keySchemaReferences : t.valueSchemaReferences) ?? [],
      );
      if (id !== undefined) engine.schemaRegistry.registerWithId(subject, type, text, id, references);
      else engine.schemaRegistry.register(subject, type, text);
    }
  }
}

/** A topic's referenced schemas, registered as ksqlDB's test runner does: each under a subject named as it is imported. */
function registerReferences(engine: KsqlEngine, references: readonly QttSchemaReference[]): SchemaReference[] {
  return references.map((r) => {
    const type = SCHEMA_TYPES[(r.format ?? '').toUpperCase()];
    if (type === undefined) throw new Error(`schema reference ${r.name}: unknown format ${r.format}`);
    const text = typeof r.schema === 'string' ? r.schema : JSON.stringify(r.schema);
    engine.schemaRegistry.register(r.name, type, text);
    const version = engine.schemaRegistry.latest(r.name)?.version ?? 1;
    return { name: r.name, subject: r.name, version };
  });
}

function show(source: DataSource, r: ActualRecord): string {
  try {
    return `${JSON.stringify(readKey(source, r.key).key)} => ${JSON.stringify(readValue(source, r.value))}`;
  } catch {
    return '<unreadable>';
  }
}

/** The source whose topic this is, preferring one a query writes (the sink) over a declared one. */
export function sinkFor(engine: KsqlEngine, topic: string): DataSource | undefined {
  const sources = engine.metastore.allSources().filter((s) => s.topic === topic);
  return sources.find((s) => !s.declared) ?? sources[0];
}

export function sourceFor(engine: KsqlEngine, topic: string): DataSource | undefined {
  const sources = engine.metastore.allSources().filter((s) => s.topic === topic);
  return sources.find((s) => s.declared) ?? sources[0];
}

/** Pipes the inputs through every query's driver, in order, following records from query to query. */
function pipe(engine: KsqlEngine, inputs: readonly QttRecord[], inserted: readonly ActualRecord[]): ActualRecord[] {
  const queries = engine.queries();
  const drivers = queries.map((q) => ({
    query: q,
    driver: newDriver(engine, q),
    inputs: new Set(q.topology.externalSourceTopics()),
  }));
  const produced: ActualRecord[] = [];
  const deliver = (record: ActualRecord, depth: number) => {
    if (depth > 20) throw new Error('records cycle between queries');
    for (const d of drivers) {
      if (!d.inputs.has(record.topic)) continue;
      d.driver.pipeRaw(record.topic, record.key, record.value, record.timestamp);
      for (const out of drain(d.driver, d.query, engine)) {
        produced.push(out);
        deliver(out, depth + 1);
      }
    }
  };
  try {
    for (const r of inserted) {
      produced.push(r);
      deliver(r, 0);
    }
    for (const input of inputs) {
      const source = sourceFor(engine, input.topic);
      if (source === undefined) continue;
      const record: ActualRecord = {
        topic: input.topic,
        key: keyBytes(source, input),
        value: valueBytes(source, input.value),
        timestamp: input.timestamp ?? 0,
      };
      deliver(record, 0);
    }
  } finally {
    for (const d of drivers) d.driver.close();
  }
  return produced;
}

function newDriver(engine: KsqlEngine, query: PersistentQuery): TopologyTestDriver {
  return new TopologyTestDriver(query.topology, {
    applicationId: `_confluent-ksql-default_query_${query.id}`,
    caching: false,
    processingLog: (entry) => engine.processingLog.fromTopology(query.id, entry),
  });
}

function drain(driver: TopologyTestDriver, query: PersistentQuery, engine: KsqlEngine): ActualRecord[] {
  const sink = engine.metastore.source(query.sink);
  if (sink === undefined) return [];
  const out = driver.createOutputTopic(sink.topic, Serdes.Bytes(), Serdes.Bytes());
  return out
    .readRecordsToList()
    .map((r) => ({ topic: sink.topic, key: r.key, value: r.value, timestamp: r.timestamp }));
}
