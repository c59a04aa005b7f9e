// `tally up`, `status` and `down` as a user runs them: the real command, a
// detached supervisor, a real PostgreSQL, and psql at the printed address.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../config/index.ts';
import { freePort, temporaryDir } from '../test/support/index.ts';
import { query } from '../test/support/postgres.ts';
import { ownStackEnv } from '../test/support/stack-env.ts';
import { isAlive, readRunState } from './run-state.ts';

const run = promisify(execFile);
const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally');

async function tally(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(TALLY, args, { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tally up / status / down (embedded stack)', () => {
  it('starts PostgreSQL and the broker, reports them ready at addresses clients reach, and stops them', async () => {
    const dataDir = temporaryDir();
    // Every service on a port of its own, so that the test never meets a running stack;
    // the services only: the election through them is test/end-to-end's.
    const { env } = await ownStackEnv(dataDir, { TALLY_ELECTION: 'false' });

    const up = await tally(['up'], env);
    assert.equal(up.code, 0, up.stderr);
    const address = /postgres\s+ready\s+(postgres:\/\/\S+)/.exec(up.stdout)?.[1];
    assert.ok(address, `no PostgreSQL address in:\n${up.stdout}`);

    const psql = await run('psql', [address, '--tuples-only', '--no-align', '--command', 'SELECT 6 * 7']);
    assert.equal(psql.stdout.trim(), '42');

    const kafka = /kafka\s+ready\s+(\S+)/.exec(up.stdout)?.[1];
    assert.equal(kafka, `127.0.0.1:${env.TALLY_KAFKA_PORT}`);
    const metadata = await run('kcat', ['-b', kafka, '-L', '-J']);
    assert.deepEqual(JSON.parse(metadata.stdout).brokers, [{ id: 1, name: `127.0.0.1:${env.TALLY_KAFKA_PORT}` }]);

    const again = await tally(['up'], env);
    assert.match(again.stdout, /already running/);

    const status = await tally(['status'], env);
    assert.equal(status.code, 0, status.stdout);
    assert.match(status.stdout, /postgres\s+ready\s+answering/);
    assert.match(status.stdout, /kafka\s+ready\s+answering/);

    const state = readRunState(path.join(dataDir, 'run'));
    const pids = [state?.pid, ...(state?.services.map((s) => s.pid) ?? [])];
    assert.ok(pids.every(isAlive));

    const down = await tally(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(!pids.some(isAlive), 'a process of the stack survived `tally down`');
    await assert.rejects(query(address, 'SELECT 1'), /ECONNREFUSED/);

    const after = await tally(['status'], env);
    assert.equal(after.code, 3);
    assert.match(after.stdout, /not running/);
  });

  it('fails with a clear message naming the variable when a port is taken', async () => {
    const dataDir = temporaryDir();
    const net = await import('node:net');
    const port = await freePort();
    const squatter = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const up = await tally(['up'], {
        TALLY_STACK: 'embedded',
        TALLY_DATA_DIR: dataDir,
        TALLY_POSTGRES_PORT: String(port),
      });
      assert.equal(up.code, 1);
      assert.match(up.stderr, new RegExp(`Port ${port} on 127.0.0.1, needed by postgres, is taken by another program`));
      assert.match(up.stderr, /TALLY_POSTGRES_PORT=<port>/);
    } finally {
      squatter.close();
    }
  });

  it('rejects a bad setting before starting anything, naming the variable', async () => {
    const up = await tally(['up'], {
      TALLY_STACK: 'embedded',
      TALLY_DATA_DIR: temporaryDir(),
      TALLY_POSTGRES_PORT: 'five',
    });
    assert.equal(up.code, 1);
    assert.match(up.stderr, /TALLY_POSTGRES_PORT="five" must be a port number/);
  });
});
