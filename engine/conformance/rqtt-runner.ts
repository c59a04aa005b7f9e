/**
 * Runs one RQTT case the way ksqlDB's RestQueryTranslationTest does, from a
 * clean state: a fresh broker (in process) and a fresh Tally ksqlDB server
 * on it; the case's topics created and its schemas registered; the
 * statements before the first SELECT POSTed to /ksql in one request; the
 * inputs produced; when query answers are expected, a wait until every
 * persistent query has processed its inputs; each SELECT POSTed to /query
 * (from earliest, as ksqlDB's test server does). Then the output topics
 * are compared as QTT's are, and the answers with `responses`; an error
 * answer must be the `expectedError`, and with one expected no query may
 * answer (statements that all succeed pass on to the comparisons, as in
 * ksqlDB's RestTestExecutor).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Broker } from '../../broker/index.ts';
import { createLogger, type Logger } from '../../logging/index.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from '../server/app.ts';
import { describeDifference } from './compare.ts';
import type { QttRecord } from './qtt.ts';
import type { RqttRun } from './rqtt.ts';
import { caseTopics, createTopics, produceInputs, readTopic, waitForQueriesToCatchUp } from './rqtt-kafka.ts';
import { type ActualError, type ActualResponse, compareError, compareResponses } from './rqtt-responses.ts';
import { type CaseResult, type FailureCategory, registerTopicSchemas, sinkFor } from './runner.ts';
import { readKey, readValue } from './test-records.ts';

export interface RqttOptions {
  /** How long to wait for queries to catch up, a query to answer, or output records to appear (default 20 s). */
  readonly waitMs?: number;
  readonly logger?: Logger;
}

const SERVICE_ID = 'rqtt_';

class CaseFailure extends Error {
  constructor(
    readonly category: FailureCategory,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one case; never throws (an exception is the case's failure). */
export async function runRqttCase(run: RqttRun, options: RqttOptions = {}): Promise<CaseResult> {
  const base = { file: run.file, name: run.name, format: null };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-rqtt-'));
  const logger = options.logger ?? createLogger('rqtt', { level: 'silent' });
  let broker: Broker | undefined;
  let server: KsqlRestServer | undefined;
  let admin: Admin | undefined;
  try {
    broker = await Broker.start({
      host: '127.0.0.1',
      port: 0,
      dataDir: path.join(dir, 'broker'),
      logger,
      groupInitialRebalanceDelayMs: 0,
    });
    const bootstrap = `127.0.0.1:${broker.port}`;
    server = await startKsqlRestServer({
      bootstrapServers: [bootstrap],
      serviceId: SERVICE_ID,
      stateDir: path.join(dir, 'ksql'),
      host: '127.0.0.1',
      port: 0,
      logger,
      cacheMaxBytes: 0,
    });
    const kafka = new Kafka({ clientId: 'rqtt', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await execute(run, { kafka, admin, server, waitMs: options.waitMs ?? 20_000 });
    return { ...base, passed: true };
  } catch (error) {
    if (error instanceof CaseFailure)
      return { ...base, passed: false, category: error.category, reason: error.message };
    const reason = (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error);
    return { ...base, passed: false, category: 'crash', reason };
  } finally {
    await admin?.disconnect().catch(() => {});
    await server?.stop().catch(() => {});
    await broker?.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface CaseContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly server: KsqlRestServer;
  readonly waitMs: number;
}

async function execute(run: RqttRun, ctx: CaseContext): Promise<void> {
  const test = run.test;
  const engine = ctx.server.server.engine;
  const statements = test.statements;
  const firstQuery = statements.findIndex((s) => s.startsWith('SELECT '));
  const adminStatements = firstQuery < 0 ? statements : statements.slice(0, firstQuery);
  const queries = firstQuery < 0 ? [] : statements.slice(firstQuery);
  if (queries.some((q) => !q.startsWith('SELECT '))) {
    throw new CaseFailure('crash', 'invalid case: a statement that is not a query follows the queries');
  }
  const properties = { ...(test.properties ?? {}) };
  const lastStatement = statements[statements.length - 1] ?? '';
  /** An error answer: the expected error (then the case goes on, as ksqlDB's does), or the case's failure. */
  const onError = (error: ActualError, what: string) => {
    if (test.expectedError === undefined) {
      const message = (error.body as { message?: unknown } | null)?.message;
      throw new CaseFailure('unsupported feature', `${what} failed: ${String(message).split('\n')[0]}`);
    }
    const difference = compareError(test.expectedError, error, lastStatement);
    if (difference) throw new CaseFailure('wrong error', difference);
  };

  registerTopicSchemas(engine, test.topics ?? []);
  await createTopics(ctx.admin, caseTopics(test));

  const responses: ActualResponse[] = [];
  const adminAnswer = await postJson(ctx.server, '/ksql', {
    ksql: adminStatements.join('\n'),
    streamsProperties: properties,
  });
  if (adminAnswer.status !== 200) {
    onError({ status: adminAnswer.status, body: adminAnswer.body }, 'statement');
    return;
  }
  for (const entity of Array.isArray(adminAnswer.body) ? adminAnswer.body : []) {
    responses.push({ kind: 'admin', entity });
  }

  try {
    await produceInputs(ctx.kafka, engine, test.inputs ?? []);
  } catch (error) {
    throw new CaseFailure('unsupported feature', `inputs: ${(error as Error).message}`);
  }
  if (test.expectedError === undefined && (test.responses?.length ?? 0) > adminStatements.length) {
    try {
      await waitForQueriesToCatchUp(ctx.admin, engine, SERVICE_ID, ctx.waitMs);
    } catch (error) {
      throw new CaseFailure('timeout', (error as Error).message);
    }
  }

  let queryAnswered = false;
  for (const sql of queries) {
    // When an error is expected, an answer of 200 is already the difference: a push query need not run on.
    const answer = await postQuery(ctx.server, sql, {
      properties: { 'auto.offset.reset': 'earliest', ...properties },
      waitMs: ctx.waitMs,
      statusOnly: test.expectedError !== undefined,
    });
    if (answer.status !== 200) {
      onError(answer, 'query');
      continue;
    }
    queryAnswered = true;
    responses.push({ kind: 'query', entries: answer.entries });
  }
  // As ksqlDB's RestTestExecutor (failIfExpectingError): a query's answer fails a case that expects an error;
  // statements that all succeed do not by themselves (the case's outputs and responses are still compared).
  if (test.expectedError !== undefined && queryAnswered) {
    throw new CaseFailure(
      'wrong error',
      `expected an error (${test.expectedError.message ?? test.expectedError.type ?? test.expectedError.status}), but the statements succeeded`,
    );
  }

  await verifyOutputs(ctx, engine, test.outputs ?? []);
  const difference = compareResponses(test.responses ?? [], responses, statements);
  if (difference) throw new CaseFailure('wrong response', difference);
}

async function verifyOutputs(ctx: CaseContext, engine: KsqlEngine, outputs: readonly QttRecord[]): Promise<void> {
  const topics = [...new Set(outputs.map((o) => o.topic))];
  for (const topic of topics) {
    const want = outputs.filter((o) => o.topic === topic);
    const source = sinkFor(engine, topic);
    if (source === undefined) throw new CaseFailure('wrong output', `no source writes to topic ${topic}`);
    const got = await readTopic(ctx.kafka, ctx.admin, topic, want.length, ctx.waitMs);
    const fail = (message: string) => new CaseFailure('wrong output', `topic ${topic}${message}`);
    const read = (i: number) => {
      const g = got[i];
      if (g === undefined) return null;
      try {
        return { ...readKey(source, g.key), value: readValue(source, g.value), timestamp: g.timestamp };
      } catch (error) {
        throw fail(` record ${i}: cannot read output: ${(error as Error).message}`);
      }
    };
    if (got.length !== want.length) {
      const shown = got
        .slice(0, 6)
        .map((_, i) => JSON.stringify(read(i)))
        .join('; ');
      throw fail(`: expected ${want.length} records, got ${got.length}${got.length ? `: ${shown}` : ''}`);
    }
    for (const [i, w] of want.entries()) {
      const g = read(i);
      if (g === null) throw fail(` record ${i}: missing`);
      const keyDiff = describeDifference(w.key ?? null, g.key);
      if (keyDiff) throw fail(` record ${i}: key ${keyDiff}`);
      if (w.window && (g.window?.start !== w.window.start || g.window?.end !== w.window.end)) {
        throw fail(` record ${i}: window expected ${JSON.stringify(w.window)}, got ${JSON.stringify(g.window)}`);
      }
      const valueDiff = describeDifference(w.value ?? null, g.value);
      if (valueDiff) throw fail(` record ${i}: value ${valueDiff}`);
      if (w.timestamp !== undefined && w.timestamp !== g.timestamp) {
        throw fail(` record ${i}: timestamp expected ${w.timestamp}, got ${g.timestamp}`);
      }
    }
  }
}

async function postJson(server: KsqlRestServer, route: string, body: unknown): Promise<ActualError> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { message: text };
  }
  return { status: response.status, body: parsed };
}

/**
 * A /query answer: its JSON array of header, rows and final message. A push
 * query that has not ended within `waitMs` is a failure naming what came.
 */
async function postQuery(
  server: KsqlRestServer,
  sql: string,
  options: { properties: Record<string, unknown>; waitMs: number; statusOnly: boolean },
): Promise<ActualError & { entries: unknown[] }> {
  const { properties, waitMs } = options;
  const controller = new AbortController();
  const response = await fetch(`${server.url}/query`, {
    method: 'POST',
    headers: { 'content-type': KSQL_CONTENT_TYPE, accept: KSQL_CONTENT_TYPE },
    body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
    signal: controller.signal,
  });
  if (response.status === 200 && options.statusOnly) {
    controller.abort();
    return { status: 200, body: null, entries: [] };
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), waitMs);
  });
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), timedOut]);
      if (chunk === 'timeout') {
        throw new CaseFailure(
          'timeout',
          `query did not end within ${waitMs} ms (${sql}): got ${text.slice(0, 300).replace(/\s+/g, ' ')}`,
        );
      }
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CaseFailure('wrong response', `query answer is not JSON: ${text.slice(0, 300)}`);
  }
  if (response.status !== 200) return { status: response.status, body, entries: [] };
  if (!Array.isArray(body))
    throw new CaseFailure('wrong response', `query answer is not an array: ${text.slice(0, 300)}`);
  return { status: 200, body, entries: body };
}
