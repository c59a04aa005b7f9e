/**
 * Starts the services of the embedded stack in order, waits for each to be
 * ready before the next, restarts one that dies, and stops them in reverse
 * order. Every service writes its output to `<logDir>/<name>.log`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../config/errors.ts';
import type { Logger } from '../logging/index.ts';
import { logFile } from '../logging/index.ts';
import type { ServiceDefinition, ServiceState, ServiceStatus } from './service.ts';

export class ServiceStartError extends UserError {}

/** Restarts allowed within RESTART_WINDOW_MS before a service is marked failed. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 10 * 60_000;

interface Running {
  definition: ServiceDefinition;
  child?: ChildProcess;
  exited?: Promise<void>;
  status: ServiceStatus;
  restartTimes: number[];
}

export interface SupervisorOptions {
  logDir: string;
  host: string;
  logger: Logger;
  /** Called whenever a service changes state, e.g. to write the run-state file. */
  onChange?: (statuses: ServiceStatus[]) => void;
}

export class Supervisor {
  private readonly services: Running[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts each service in turn; resolves once all are ready, rejects on the first that fails. */
  async start(definitions: ServiceDefinition[]): Promise<void> {
    for (const definition of definitions) {
      const running: Running = {
        definition,
        restartTimes: [],
        status: {
          name: definition.name,
          state: 'starting',
          address: definition.address,
          ...(definition.port !== undefined && { port: definition.port }),
          log: logFile(this.options.logDir, definition.name),
          restarts: 0,
          since: new Date().toISOString(),
        },
      };
      this.services.push(running);
      this.changed();
      try {
        if ((await this.startOne(running)) === 'finished') continue;
        await definition.afterReady?.();
        this.setState(running, 'ready');
      } catch (error) {
        this.setState(running, 'failed', error instanceof Error ? error.message : String(error));
        throw error;
      }
    }
  }

  statuses(): ServiceStatus[] {
    return this.services.map((s) => ({ ...s.status }));
  }

  /** Stops every service, last started first. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const running of [...this.services].reverse()) {
      if (!running.child || running.child.exitCode !== null || running.child.signalCode !== null) {
        this.setState(running, 'stopped');
        continue;
      }
      this.setState(running, 'stopping');
      await this.stopChild(running);
      this.setState(running, 'stopped');
    }
  }

  /** Starts the process and waits until it is ready, or (a job) has finished. */
  private async startOne(running: Running): Promise<'ready' | 'finished'> {
    const { definition } = running;
    await assertPortFree(this.options.host, definition);
    await definition.prepare?.();
    const spec = definition.process();
    fs.mkdirSync(this.options.logDir, { recursive: true });
    const out = fs.openSync(running.status.log, 'a');
    let exitDescription = '';
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', out, out],
      // Its own process group: a Ctrl-C at the terminal reaches the supervisor,
      // which then stops the services in order.
      detached: true,
      ...(spec.uid !== undefined && { uid: spec.uid }),
      ...(spec.gid !== undefined && { gid: spec.gid }),
    });
    fs.closeSync(out);
    running.child = child;
    running.status.pid = child.pid;
    let exitedCleanly = false;
    running.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
        exitedCleanly = code === 0;
        resolve();
      });
      child.once('error', (error) => {
        exitDescription = `could not start ${spec.command}: ${error.message}`;
        resolve();
      });
    });
    this.options.logger.info({ service: definition.name, pid: child.pid, command: spec.command }, 'service started');

    const deadline = Date.now() + (definition.startTimeoutMs ?? 60_000);
    let exited = false;
    void running.exited.then(() => {
      exited = true;
    });
    while (!(await definition.ready().catch(() => false))) {
      if (exited && exitedCleanly && definition.finishes) {
        this.setState(running, 'finished');
        return 'finished';
      }
      if (exited) {
        throw new ServiceStartError(
          `${definition.name} ${exitDescription} before it was ready.\n${tail(running.status.log)}\nFull log: ${running.status.log}`,
        );
      }
      if (Date.now() > deadline) {
        await this.stopChild(running);
        throw new ServiceStartError(
          `${definition.name} was not ready after ${(definition.startTimeoutMs ?? 60_000) / 1000} s.\n${tail(running.status.log)}\nFull log: ${running.status.log}`,
        );
      }
      await sleep(100);
    }
    void running.exited.then(() =>
      exitedCleanly && definition.finishes
        ? this.setState(running, 'finished')
        : this.onUnexpectedExit(running, child, exitDescription),
    );
    return 'ready';
  }

  private async onUnexpectedExit(running: Running, child: ChildProcess, description: string): Promise<void> {
    if (this.stopping || running.child !== child) return;
    const now = Date.now();
    running.restartTimes = running.restartTimes.filter((t) => now - t < RESTART_WINDOW_MS);
    if (running.restartTimes.length >= MAX_RESTARTS) {
      this.setState(running, 'failed', `${description}; gave up after ${MAX_RESTARTS} restarts`);
      return;
    }
    running.restartTimes.push(now);
    running.status.restarts += 1;
    this.setState(running, 'restarting', description);
    this.options.logger.warn({ service: running.definition.name, reason: description }, 'service died; restarting');
    await sleep(Math.min(30_000, 500 * 2 ** (running.restartTimes.length - 1)));
    if (this.stopping) return;
    try {
      if ((await this.startOne(running)) === 'ready') this.setState(running, 'ready');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A restart that did not become ready (too slow, or dead again) is another death: retried
      // within the same budget of restarts, since what failed once after being ready may pass again.
      if (running.child && !this.stopping) return this.onUnexpectedExit(running, running.child, reason);
      this.setState(running, 'failed', reason);
    }
  }

  private async stopChild(running: Running): Promise<void> {
    const { child, definition } = running;
    if (!child?.pid) return;
    const timeout = definition.stopTimeoutMs ?? 15_000;
    child.kill(definition.stopSignal ?? 'SIGTERM');
    const stopped = await Promise.race([running.exited?.then(() => true), sleep(timeout, false, { ref: false })]);
    if (!stopped) {
      this.options.logger.warn({ service: definition.name, timeoutMs: timeout }, 'service did not stop; killing it');
      child.kill('SIGKILL');
      await running.exited;
    }
    this.options.logger.info({ service: definition.name }, 'service stopped');
  }

  private setState(running: Running, state: ServiceState, error?: string): void {
    running.status.state = state;
    running.status.since = new Date().toISOString();
    if (error === undefined) delete running.status.error;
    else running.status.error = error;
    if (state === 'stopped' || state === 'failed' || state === 'finished') delete running.status.pid;
    else if (running.child?.pid) running.status.pid = running.child.pid;
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.(this.statuses());
  }
}

/** Fails with an actionable message when another program holds the service's port. */
export async function assertPortFree(host: string, service: Pick<ServiceDefinition, 'name' | 'port' | 'portVariable'>) {
  if (service.port === undefined) return;
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new UserError(
            `Port ${service.port} on ${host}, needed by ${service.name}, is taken by another program. ` +
              `Stop that program, or move ${service.name} to a free port with ${service.portVariable ?? 'its port setting'}=<port>.`,
          ),
        );
      } else reject(error);
    });
    server.listen(service.port, host, () => server.close(() => resolve()));
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
