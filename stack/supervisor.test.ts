import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../config/index.ts';
import { freePort, temporaryDir, testLogger } from '../test/support/index.ts';
import type { ServiceDefinition } from './service.ts';
import { ServiceStartError, Supervisor } from './supervisor.ts';

const FAKE_SERVICE = path.join(import.meta.dirname, 'fixtures', 'fake-service.mjs');

/** True when the fake service on `port` greets: it listens and is ready. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString() === 'hello\n');
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
}

function fakeService(name: string, port: number, env: Record<string, string> = {}): ServiceDefinition {
  return {
    name,
    address: `127.0.0.1:${port}`,
    port,
    portVariable: `FAKE_${name.toUpperCase()}_PORT`,
    process: () => ({ command: process.execPath, args: [FAKE_SERVICE], env: { PORT: String(port), ...env } }),
    ready: () => answers(port),
    stopTimeoutMs: 1000,
    startTimeoutMs: 10_000,
  };
}

function newSupervisor() {
  const logDir = temporaryDir();
  const changes: string[] = [];
  const supervisor = new Supervisor({
    logDir,
    host: '127.0.0.1',
    logger: testLogger(),
    onChange: (statuses) => changes.push(statuses.map((s) => `${s.name}:${s.state}`).join(',')),
  });
  return { supervisor, logDir, changes };
}

describe('Supervisor', () => {
  it('starts services in order, each only after the one before is ready, and stops them in reverse', async () => {
    const { supervisor, changes } = newSupervisor();
    const [portA, portB] = [await freePort(), await freePort()];
    await supervisor.start([fakeService('a', portA, { DELAY_MS: '300' }), fakeService('b', portB)]);
    assert.equal(await answers(portA), true);
    assert.equal(await answers(portB), true);
    assert.deepEqual(
      supervisor.statuses().map((s) => s.state),
      ['ready', 'ready'],
    );
    // b was not started before a was ready.
    assert.ok(changes.indexOf('a:ready') < changes.indexOf('a:ready,b:starting'));

    await supervisor.stop();
    assert.equal(await answers(portA), false);
    assert.equal(await answers(portB), false);
    assert.deepEqual(changes.slice(-4), [
      'a:ready,b:stopping',
      'a:ready,b:stopped',
      'a:stopping,b:stopped',
      'a:stopped,b:stopped',
    ]);
  });

  it('writes each service output to its own log file', async () => {
    const { supervisor, logDir } = newSupervisor();
    await supervisor.start([fakeService('chatty', await freePort())]);
    await supervisor.stop();
    const log = fs.readFileSync(path.join(logDir, 'chatty.log'), 'utf8');
    assert.match(log, /fake service starting/);
    assert.match(log, /stopping on SIGTERM/);
  });

  it('fails with the log tail when a service exits before it is ready', async () => {
    const { supervisor } = newSupervisor();
    await assert.rejects(
      supervisor.start([fakeService('broken', await freePort(), { EXIT_EARLY: '1', EXIT_CODE: '3' })]),
      (error: Error) => {
        assert.ok(error instanceof ServiceStartError);
        assert.match(error.message, /broken exited with code 3 before it was ready/);
        assert.match(error.message, /cannot start, broken configuration/);
        return true;
      },
    );
    assert.equal(supervisor.statuses()[0]?.state, 'failed');
  });

  it('names the service and the variable that moves it when its port is taken', async () => {
    const { supervisor } = newSupervisor();
    const port = await freePort();
    const squatter = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      await assert.rejects(supervisor.start([fakeService('web', port)]), (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.equal(
          error.message,
          `Port ${port} on 127.0.0.1, needed by web, is taken by another program. ` +
            'Stop that program, or move web to a free port with FAKE_WEB_PORT=<port>.',
        );
        return true;
      });
    } finally {
      squatter.close();
    }
  });

  it('restarts a ready service that dies', async () => {
    const { supervisor } = newSupervisor();
    const port = await freePort();
    await supervisor.start([fakeService('fragile', port)]);
    const firstPid = supervisor.statuses()[0]?.pid;
    assert.ok(firstPid);
    process.kill(firstPid, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    while (!(supervisor.statuses()[0]?.state === 'ready' && supervisor.statuses()[0]?.pid !== firstPid)) {
      assert.ok(Date.now() < deadline, `not restarted: ${JSON.stringify(supervisor.statuses())}`);
      await sleep(50);
    }
    assert.equal(supervisor.statuses()[0]?.restarts, 1);
    assert.equal(await answers(port), true);
    await supervisor.stop();
  });

  it('tries again when a restart is not ready in time, as it would after another death', async () => {
    const { supervisor } = newSupervisor();
    const port = await freePort();
    const starts = path.join(temporaryDir(), 'starts');
    // Greets at once, except on its second start (the first restart), which is slower than startTimeoutMs.
    const script = `
      const fs = require('fs');
      fs.appendFileSync(${JSON.stringify(starts)}, 'x');
      const delay = fs.readFileSync(${JSON.stringify(starts)}, 'utf8').length === 2 ? 60000 : 0;
      let ready = false;
      require('net').createServer((s) => (ready ? s.end('hello\\n') : s.destroy())).listen(${port}, '127.0.0.1');
      setTimeout(() => { ready = true; }, delay);`;
    await supervisor.start([
      {
        name: 'slow-restart',
        address: `127.0.0.1:${port}`,
        port,
        process: () => ({ command: process.execPath, args: ['-e', script] }),
        ready: () => answers(port),
        stopTimeoutMs: 1000,
        startTimeoutMs: 1500,
      },
    ]);
    const firstPid = supervisor.statuses()[0]?.pid;
    assert.ok(firstPid);
    process.kill(firstPid, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (fs.readFileSync(starts, 'utf8').length < 3 || supervisor.statuses()[0]?.state !== 'ready') {
      assert.notEqual(supervisor.statuses()[0]?.state, 'failed', JSON.stringify(supervisor.statuses()));
      assert.ok(Date.now() < deadline, `not restarted: ${JSON.stringify(supervisor.statuses())}`);
      await sleep(50);
    }
    assert.equal(supervisor.statuses()[0]?.restarts, 2);
    assert.equal(await answers(port), true);
    await supervisor.stop();
  });

  it('kills a service that ignores the stop signal after its stop timeout', async () => {
    const { supervisor } = newSupervisor();
    const port = await freePort();
    await supervisor.start([fakeService('stubborn', port, { IGNORE_SIGTERM: '1' })]);
    const pid = supervisor.statuses()[0]?.pid;
    await supervisor.stop();
    assert.equal(supervisor.statuses()[0]?.state, 'stopped');
    assert.throws(() => process.kill(pid!, 0), { code: 'ESRCH' });
  });

  it('marks a job that exits with 0 as finished, before or after it was ready, and does not restart it', async () => {
    const { supervisor } = newSupervisor();
    const port = await freePort();
    /** A job with no port: ready once a file exists, done when node exits. */
    const job = (name: string, script: string, ready: () => Promise<boolean>): ServiceDefinition => ({
      name,
      address: name,
      finishes: true,
      process: () => ({ command: process.execPath, args: ['-e', script] }),
      ready,
      startTimeoutMs: 10_000,
    });
    const marker = path.join(temporaryDir(), 'ready');
    await supervisor.start([
      job('quick', 'process.exit(0)', async () => false),
      job('slow', `require('fs').writeFileSync(${JSON.stringify(marker)}, ''); setTimeout(() => {}, 500)`, async () =>
        fs.existsSync(marker),
      ),
      fakeService('after', port),
    ]);
    assert.deepEqual(
      supervisor.statuses().map((s) => s.state),
      ['finished', 'ready', 'ready'],
      'a finished job does not stop the services after it from starting',
    );
    const deadline = Date.now() + 10_000;
    while (supervisor.statuses()[1]?.state !== 'finished') {
      assert.ok(Date.now() < deadline, `not finished: ${JSON.stringify(supervisor.statuses())}`);
      await sleep(50);
    }
    await sleep(700);
    assert.equal(supervisor.statuses()[1]?.restarts, 0);
    assert.equal(supervisor.statuses()[1]?.state, 'finished');
    await supervisor.stop();
  });

  it('restarts a job that fails', async () => {
    const { supervisor } = newSupervisor();
    const marker = path.join(temporaryDir(), 'ran');
    await supervisor.start([
      {
        name: 'flaky',
        address: 'flaky',
        finishes: true,
        process: () => ({
          command: process.execPath,
          args: [
            '-e',
            `require('fs').appendFileSync(${JSON.stringify(marker)}, 'x'); setTimeout(() => process.exit(3), 200)`,
          ],
        }),
        ready: async () => fs.existsSync(marker),
        startTimeoutMs: 10_000,
      },
    ]);
    const deadline = Date.now() + 10_000;
    while (fs.readFileSync(marker, 'utf8').length < 2) {
      assert.ok(Date.now() < deadline, `not restarted: ${JSON.stringify(supervisor.statuses())}`);
      await sleep(50);
    }
    await supervisor.stop();
  });
});
