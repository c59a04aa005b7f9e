/**
 * An embedded broker for benchmarks, in its own process (`tally broker`) so
 * that it never shares an event loop with the clients being measured, in a
 * temporary folder removed by `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../config/index.ts';
import { acceptsConnections } from '../../stack/embedded.ts';
import { freePort } from '../../test/support/free-port.ts';

export interface BrokerProcess {
  address: string;
  child: ChildProcess;
  dataDir: string;
  /** Resident memory of the broker process now, in bytes (from /proc). */
  rss(): number;
  stop(): Promise<void>;
}

export async function startBrokerProcess(name: string): Promise<BrokerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tally-bench-${name}-`));
  const port = await freePort();
  const child = spawn(path.join(PROJECT_ROOT, 'bin', 'tally'), ['broker', '--port', String(port)], {
    env: { ...process.env, TALLY_DATA_DIR: dataDir, TALLY_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (let i = 0; !(await acceptsConnections('127.0.0.1', port)); i++) {
    if (i > 300 || child.exitCode !== null) throw new Error(`the benchmark broker did not start (see ${dataDir})`);
    await sleep(100);
  }
  return {
    address: `127.0.0.1:${port}`,
    child,
    dataDir,
    rss: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bytes stored under a folder, for reporting log sizes. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}
