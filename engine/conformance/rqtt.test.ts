import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RQTT_DIR } from '../cli.ts';
import { findQttFiles } from './qtt.ts';
import { summarize } from './report.ts';
import { isRqttFile, type RqttCase, type RqttRun, readRqttFile } from './rqtt.ts';
import { compareError, compareResponses } from './rqtt-responses.ts';
import { runRqttCase } from './rqtt-runner.ts';

/**
 * The pass count on the representative subset below, as measured when this
 * floor was set. It may only go up: raise it when the server passes more.
 */
const SUBSET_PASS_FLOOR = 59;

/** Every SUBSET_STRIDE-th case of each RQTT file: the whole suite takes minutes (`tally conformance` runs it). */
const SUBSET_STRIDE = 4;

const asRun = (test: RqttCase): RqttRun => ({ file: 'inline.json', index: 0, format: null, name: test.name, test });

const STATEMENTS = [
  "CREATE STREAM INPUT (ID STRING KEY, V INT) WITH (kafka_topic='test_topic', value_format='JSON');",
  'CREATE TABLE AGG AS SELECT ID, COUNT(1) AS N FROM INPUT GROUP BY ID;',
  "SELECT * FROM AGG WHERE ID='a';",
];

const pullCase = (expectedCount: number): RqttCase => ({
  name: 'pull',
  statements: STATEMENTS,
  inputs: [
    { topic: 'test_topic', key: 'a', value: { V: 1 }, timestamp: 10 },
    { topic: 'test_topic', key: 'b', value: { V: 2 }, timestamp: 11 },
    { topic: 'test_topic', key: 'a', value: { V: 3 }, timestamp: 12 },
  ],
  responses: [
    { admin: { '@type': 'currentStatus' } },
    { admin: { '@type': 'currentStatus' } },
    { query: [{ header: { schema: '`ID` STRING KEY, `N` BIGINT' } }, { row: { columns: ['a', expectedCount] } }] },
  ],
});

describe('RQTT responses', () => {
  it('matches only the fields the expected response names, with prefixes and the statement macro', () => {
    const actual = [
      { kind: 'admin' as const, entity: { '@type': 'currentStatus', statementText: 'CREATE X;', commandId: 'c' } },
    ];
    assert.equal(compareResponses([{ admin: { '@type': 'currentStatus' } }], actual, ['CREATE X;']), null);
    assert.equal(compareResponses([{ admin: { statementText: '{STATEMENT}' } }], actual, ['CREATE X;']), null);
    assert.equal(compareResponses([{ admin: { 'commandId|STARTS_WITH': 'c' } }], actual, ['CREATE X;']), null);
    assert.match(
      compareResponses([{ admin: { '@type': 'streams' } }], actual, ['CREATE X;']) ?? '',
      /responses\[0\]->admin->@type: expected "streams", got "currentStatus"/,
    );
  });

  it('wants exactly the expected query entries', () => {
    const entries = [{ header: { queryId: 'q', schema: '`A` INTEGER' } }, { row: { columns: [1] } }];
    const expected = [{ query: [{ header: { schema: '`A` INTEGER' } }, { row: { columns: [1] } }] }];
    assert.equal(compareResponses(expected, [{ kind: 'query', entries }], ['SELECT']), null);
    assert.match(
      compareResponses(expected, [{ kind: 'query', entries: entries.slice(0, 1) }], ['SELECT']) ?? '',
      /expected 2 entries, got 1/,
    );
    assert.match(compareResponses(expected, [], []) ?? '', /expected 1 responses, got 0/);
  });

  it('matches an error on status, a part of its message, and the statement it names', () => {
    const body = { '@type': 'statement_error', message: 'Cannot compare ID', statementText: 'SELECT 1;' };
    const type = 'io.confluent.ksql.rest.entity.KsqlStatementErrorMessage';
    assert.equal(compareError({ type, message: 'compare', status: 400 }, { status: 400, body }, 'SELECT 1;'), null);
    assert.match(compareError({ status: 404 }, { status: 400, body }, 'SELECT 1;') ?? '', /expected status 404/);
    assert.match(compareError({ message: 'nope' }, { status: 400, body }, 'SELECT 1;') ?? '', /containing "nope"/);
    assert.match(compareError({ type }, { status: 400, body: { message: 'x' } }, 'SELECT 1;') ?? '', /generic/);
  });

  it('tells RQTT files from QTT files by folder', () => {
    const files = findQttFiles([DEFAULT_RQTT_DIR]);
    assert.ok(files.length > 0, `expected the shared RQTT suite at ${DEFAULT_RQTT_DIR}`);
    assert.ok(files.every((f) => isRqttFile(f)));
  });
});

describe('RQTT runner (a broker and a server per case)', () => {
  it('passes a case whose answers and outputs match', { timeout: 120_000 }, async () => {
    const result = await runRqttCase(asRun(pullCase(2)));
    assert.equal(result.passed, true, result.reason);
  });

  it('fails a case with a deliberately wrong expected response, saying where', { timeout: 120_000 }, async () => {
    const result = await runRqttCase(asRun(pullCase(3)));
    assert.equal(result.passed, false);
    assert.equal(result.category, 'wrong response');
    assert.match(result.reason ?? '', /responses\[2\]->query\[1\]->row->columns: expected 3 at \[1\], got 2/);
  });

  it('fails a case whose expected error does not come, a query answering instead', { timeout: 120_000 }, async () => {
    const test: RqttCase = {
      name: 'error',
      statements: STATEMENTS,
      expectedError: { message: 'no such thing', status: 400 },
    };
    const result = await runRqttCase(asRun(test));
    assert.equal(result.passed, false);
    assert.equal(result.category, 'wrong error');
  });

  it('passes, as ksqlDB runs them, statements that all succeed where an error was expected', {
    timeout: 120_000,
  }, async () => {
    // RestTestExecutor fails such a case only when a query answers; its outputs and responses are still compared.
    const test: RqttCase = {
      name: 'error',
      statements: STATEMENTS.slice(0, 1),
      expectedError: { message: 'no such thing', status: 400 },
    };
    const result = await runRqttCase(asRun(test));
    assert.equal(result.passed, true, result.reason);
  });
});

describe('RQTT on the shared ksqlDB suite', () => {
  it(`passes at least ${SUBSET_PASS_FLOOR} cases of a representative subset`, { timeout: 600_000 }, async () => {
    const { runInPool } = await import('./pool.ts');
    const runs = findQttFiles([DEFAULT_RQTT_DIR])
      .flatMap((f) => readRqttFile(f))
      .filter((r) => r.index % SUBSET_STRIDE === 0);
    assert.ok(runs.length > 20, `expected the shared suite at ${DEFAULT_RQTT_DIR}`);
    const results = await runInPool(runs, {
      timeoutMs: 60_000,
      workers: 2,
      workerModule: new URL('./rqtt-worker.ts', import.meta.url),
    });
    const report = summarize(results);
    assert.ok(
      report.total.passed >= SUBSET_PASS_FLOOR,
      `passed ${report.total.passed} of ${runs.length}, below the floor ${SUBSET_PASS_FLOOR}`,
    );
  });
});
