// The test runner must not let a run that checked nothing look green.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { temporaryDir } from '../test/support/index.ts';

const run = promisify(execFile);
const RUNNER = path.join(import.meta.dirname, 'run-tests.ts');

async function runTests(dir: string) {
  try {
    // Without this variable, node:test inside node:test would skip the files.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', RUNNER, dir], { env });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

function folderWith(files: Record<string, string>): string {
  const dir = temporaryDir();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const header = "import { it } from 'node:test';\nimport assert from 'node:assert/strict';\n";

describe('scripts/run-tests.ts', () => {
  it('passes when tests ran and passed, and counts them', async () => {
    const dir = folderWith({
      'a.test.ts': `${header}it('adds', () => assert.equal(1 + 1, 2));\nit('subtracts', () => assert.equal(2 - 1, 1));\n`,
    });
    const { code, output } = await runTests(dir);
    assert.equal(code, 0, output);
    assert.match(output, /1 files: 2 tests, 2 passed, 0 failed/);
  });

  it('fails when there are no test files', async () => {
    const { code, output } = await runTests(folderWith({ 'notes.ts': 'export const x = 1;\n' }));
    assert.equal(code, 1);
    assert.match(output, /No test files/);
  });

  it('fails when test files hold no tests', async () => {
    const dir = folderWith({ 'empty.test.ts': 'export {};\n', 'full.test.ts': `${header}it('runs', () => {});\n` });
    const { code, output } = await runTests(dir);
    assert.equal(code, 1);
    assert.match(output, /Test files that define no tests:\n.*empty\.test\.ts/);
  });

  it('fails when a test fails', async () => {
    const dir = folderWith({ 'b.test.ts': `${header}it('is wrong', () => assert.equal(1 + 1, 3));\n` });
    const { code, output } = await runTests(dir);
    assert.equal(code, 1);
    assert.match(output, /1 files: 1 tests, 0 passed, 1 failed/);
  });

  it('fails when a test is skipped, even if the rest pass', async () => {
    const dir = folderWith({ 'c.test.ts': `${header}it('runs', () => {});\nit.skip('later', () => {});\n` });
    const { code, output } = await runTests(dir);
    assert.equal(code, 1);
    assert.match(output, /Skipped or todo tests are not passes/);
  });

  it('fails when a test file cannot be loaded', async () => {
    const dir = folderWith({ 'd.test.ts': `${header}import './missing.ts';\nit('never runs', () => {});\n` });
    const { code, output } = await runTests(dir);
    assert.equal(code, 1);
    assert.match(output, /missing\.ts/);
  });
});
