import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_QTT_DIR } from '../cli.ts';
import { runInPool } from './pool.ts';
import { findQttFiles, type QttCase, type QttRun, readQttFile, stripJsonComments } from './qtt.ts';
import { summarize } from './report.ts';
import { runCase } from './runner.ts';

/**
 * The pass count on the shared suite, as measured when this floor was set.
 * It may only go up: raise it when the engine passes more.
 */
const PASS_FLOOR = 883;

const STATEMENTS = [
  "CREATE STREAM TEST (K STRING KEY, ID BIGINT, NAME STRING) WITH (kafka_topic='test_topic', value_format='JSON');",
  'CREATE STREAM S1 AS SELECT K, NAME FROM TEST WHERE ID > 100;',
];

const asRun = (test: QttCase): QttRun => ({ file: 'inline.json', index: 0, format: null, name: test.name, test });

const filterCase = (expectedName: string): QttCase => ({
  name: 'filter',
  statements: STATEMENTS,
  inputs: [
    { topic: 'test_topic', key: 'a', value: { ID: 1, NAME: 'no' } },
    { topic: 'test_topic', key: 'b', value: { ID: 101, NAME: 'yes' }, timestamp: 7 },
  ],
  outputs: [{ topic: 'S1', key: 'b', value: { NAME: expectedName }, timestamp: 7 }],
});

describe('conformance runner', () => {
  it('passes a case whose outputs match', () => {
    const result = runCase(asRun(filterCase('yes')));
    assert.equal(result.passed, true, result.reason);
  });

  it('fails a case with a deliberately wrong expected output, saying where', () => {
    const result = runCase(asRun(filterCase('nope')));
    assert.equal(result.passed, false);
    assert.equal(result.category, 'wrong output');
    assert.match(result.reason ?? '', /topic S1 record 0: value expected "nope" at NAME, got "yes"/);
  });

  it('fails a case whose expected record count differs', () => {
    const test = filterCase('yes');
    const result = runCase(asRun({ ...test, outputs: [...(test.outputs ?? []), ...(test.outputs ?? [])] }));
    assert.equal(result.category, 'wrong output');
    assert.match(result.reason ?? '', /expected 2 records, got 1/);
  });

  it('checks the expected exception message', () => {
    const expectedException = {
      type: 'io.confluent.ksql.util.KsqlStatementException',
      message: "Can't find any functions with the name 'NOPE'",
    };
    const statements = [STATEMENTS[0] as string, 'CREATE STREAM S1 AS SELECT K, NOPE(NAME) FROM TEST;'];
    assert.equal(runCase(asRun({ name: 'e', statements, expectedException })).passed, true);
    const wrong = runCase(asRun({ name: 'e', statements: STATEMENTS, expectedException }));
    assert.equal(wrong.category, 'wrong error');
  });

  it('counts a case the engine cannot run as failed, not skipped', () => {
    const result = runCase(
      asRun({ name: 'u', statements: ["CREATE STREAM X WITH (kafka_topic='x', value_format='AVRO');"], outputs: [] }),
    );
    assert.equal(result.passed, false);
    assert.equal(result.category, 'unsupported feature');
  });

  it('substitutes {FORMAT} once per listed format', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtt-'));
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(
      file,
      '{"tests": [ // a comment\n {"name": "n", "format": ["JSON", "AVRO"], "statements": ["{FORMAT}"]} /* more */ ]}',
    );
    const runs = readQttFile(file);
    fs.rmSync(dir, { recursive: true });
    assert.deepEqual(
      runs.map((r) => [r.name, r.test.statements[0]]),
      [
        ['n - JSON', 'JSON'],
        ['n - AVRO', 'AVRO'],
      ],
    );
    assert.equal(stripJsonComments('{"a": "//not a comment"} // one'), '{"a": "//not a comment"} ');
  });

  it('runs cases in workers with a time budget, failing only the case that overruns', async () => {
    const runs = [asRun(filterCase('yes')), asRun(filterCase('yes'))];
    // A budget no case can meet: each times out, and the pool still answers for all.
    const results = await runInPool(
      runs.map((r) => ({ ...r, file: path.join(DEFAULT_QTT_DIR, 'where.json') })),
      { timeoutMs: 1, workers: 1 },
    );
    assert.equal(results.length, 2);
    assert.ok(results.every((r) => !r.passed && r.category === 'timeout'));
  });
});

describe('conformance on the shared ksqlDB suite', () => {
  it(`passes at least ${PASS_FLOOR} cases`, { timeout: 300_000 }, async () => {
    const runs = findQttFiles([DEFAULT_QTT_DIR]).flatMap((f) => readQttFile(f));
    assert.ok(runs.length > 800, `expected the shared suite at ${DEFAULT_QTT_DIR}`);
    const report = summarize(await runInPool(runs, { timeoutMs: 20_000 }));
    assert.ok(
      report.total.passed >= PASS_FLOOR,
      `passed ${report.total.passed} of ${runs.length}, below the floor ${PASS_FLOOR}`,
    );
  });
});
