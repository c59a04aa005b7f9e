/**
 * The whole embedded stack for a benchmark, started as `make up` starts it:
 * `tally up` with TALLY_DATA_DIR in a temporary folder and every port free,
 * and stopped with `tally down` and the same environment. No election is
 * played (TALLY_ELECTION=false): the benchmark produces its own, to time it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Config, loadConfig, PROJECT_ROOT } from '../../config/index.ts';
import { ownStackEnv } from '../../test/support/stack-env.ts';

const run = promisify(execFile);
const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally');
/** Starting takes about a minute on 2 cores (initdb, six processes, migrations); a loaded machine gets more. */
const UP_TIMEOUT_MS = 900_000;
const DOWN_TIMEOUT_MS = 120_000;

export interface EmbeddedStack {
  dataDir: string;
  config: Config;
  /** `tally down`, then the folder removed. Safe to call more than once. */
  down(): Promise<void>;
}

export async function startEmbeddedStack(name: string): Promise<EmbeddedStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tally-bench-${name}-`));
  // World-enterable: PostgreSQL runs as `postgres` when Tally runs as root.
  fs.chmodSync(dataDir, 0o755);
  const { env } = await ownStackEnv(dataDir, { TALLY_ELECTION: 'false' });
  const config = loadConfig({ env });

  let stopped: Promise<void> | undefined;
  const down = () => {
    stopped ??= run(TALLY, ['down'], { env, timeout: DOWN_TIMEOUT_MS })
      .then(
        () => undefined,
        (error: Error) => console.error(`tally down failed (logs in ${config.logDir}): ${error.message}`),
      )
      .finally(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    return stopped;
  };
  try {
    await run(TALLY, ['up'], { env, timeout: UP_TIMEOUT_MS, maxBuffer: 1 << 24 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    // Keep the logs of a failed start: say where they are and leave the folder.
    stopped = run(TALLY, ['down'], { env, timeout: DOWN_TIMEOUT_MS }).then(
      () => undefined,
      () => undefined,
    );
    await stopped;
    throw new Error(`tally up failed (logs in ${config.logDir}):\n${stdout}${stderr}`, { cause: error });
  }
  return { dataDir, config, down };
}
