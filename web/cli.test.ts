import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../config/index.ts';
import { answersHttp } from '../stack/embedded.ts';
import { freePort, temporaryDir, until } from '../test/support/index.ts';
import { query, startTestPostgres } from '../test/support/postgres.ts';

const postgres = await startTestPostgres();

test('`tally dashboard` serves the configured PostgreSQL on TALLY_DASHBOARD_PORT, and stops on SIGTERM', async () => {
  await query(postgres.url, "CREATE TABLE seats (party text, seats int); INSERT INTO seats VALUES ('Greens', 7)");
  const port = await freePort();
  const child = spawn(path.join(PROJECT_ROOT, 'bin', 'tally'), ['dashboard'], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      TALLY_DASHBOARD_PORT: String(port),
      TALLY_DATA_DIR: temporaryDir(),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  // The stack's readiness check for this service.
  await until(() => answersHttp(`http://127.0.0.1:${port}/healthz`), `the dashboard to answer (stderr: ${stderr})`);
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  assert.ok(page.includes('<dd data-total="seats">7</dd>'));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
