/**
 * Helpers shared by tests: ephemeral ports, temporary folders, loggers.
 * Tests never use the stack's fixed ports or `.tally/`, so they run beside a
 * running stack and beside each other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, type Logger } from '../../logging/index.ts';

export { freePort } from './free-port.ts';

/**
 * A temporary folder removed after the test file. It is world-enterable, so
 * that services run as another user (PostgreSQL as `postgres`) can reach
 * folders made inside it.
 */
export function temporaryDir(prefix = 'tally-test-'): string {
  const dir = makeTemporaryDir(prefix);
  after(() => removeDir(dir));
  return dir;
}

/** As temporaryDir, but the caller removes it (after stopping what uses it). */
export function makeTemporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A logger for components under test: errors only, to stderr. */
export function testLogger(name = 'test'): Logger {
  return createLogger(name, {
    level: process.env.TALLY_TEST_LOG_LEVEL === undefined ? 'error' : (process.env.TALLY_TEST_LOG_LEVEL as 'info'),
  });
}

/** Waits until `condition` holds, polling; fails naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
