/**
 * Runs the test files with node:test and tsx, and fails when no test ran.
 *
 * Node 20 neither expands globs after --test nor finds .ts files by itself
 * (a bare `node --test` passes having run nothing), so this script lists the
 * files and then reads the TAP summary to count what really ran.
 *
 *   node --import tsx scripts/run-tests.ts [file-or-folder ...]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/index.ts';

const SKIP_DIRS = new Set(['node_modules', '.git', '.tally', 'dist', 'test-artifacts']);

function findTests(target: string, found: string[] = []): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) {
    found.push(target);
    return found;
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) findTests(full, found);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : [PROJECT_ROOT]).flatMap((t) => findTests(path.resolve(t))).sort();
if (files.length === 0) {
  console.error(`No test files (*.test.ts) found under ${targets.join(' ') || PROJECT_ROOT}.`);
  process.exit(1);
}

const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-tests-')), 'results.tap');
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: PROJECT_ROOT },
);
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const tests = count('tests');
const pass = count('pass');
const fail = count('fail');
const skipped = count('skipped');
const todo = count('todo');
const cancelled = count('cancelled');
console.log(
  `\n${files.length} files: ${tests} tests, ${pass} passed, ${fail} failed, ${cancelled} cancelled, ${skipped} skipped, ${todo} todo`,
);
// Node reports a file that defines no tests as one passing "test" named after
// the file: count those files as failures, not passes.
const fileSet = new Set(files);
const empty = [...tap.matchAll(/^ok \d+ - (.*)$/gm)].map((m) => m[1] ?? '').filter((name) => fileSet.has(name));
if (empty.length > 0) {
  console.error(
    `Test files that define no tests:\n${empty.map((f) => `  ${path.relative(PROJECT_ROOT, f)}`).join('\n')}`,
  );
  process.exit(1);
}
if (tests === 0 || pass === 0) {
  console.error('No test ran: failing, because a run that checks nothing must not look green.');
  process.exit(1);
}
if (skipped > 0 || todo > 0) {
  console.error('Skipped or todo tests are not passes: failing.');
  process.exit(1);
}
process.exit(code !== 0 || fail > 0 || cancelled > 0 ? 1 : 0);
