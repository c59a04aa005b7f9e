/** A count-app child process for tests: started with tsx, watched through its output lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./count-app.ts', import.meta.url));
const root = path.resolve(path.dirname(script), '../..');

export class ChildApp {
  readonly process: ChildProcess;
  state = '';
  tasks: string[] = [];
  processed = 0;
  readonly exited: Promise<number | null>;
  private output = '';

  constructor(
    broker: string,
    applicationId: string,
    processId: string,
    stateDir: string,
    topics: readonly string[] = [],
  ) {
    this.process = spawn(
      process.execPath,
      ['--import', 'tsx', script, broker, applicationId, processId, stateDir, ...topics],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.process.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      let nl = this.output.indexOf('\n');
      while (nl >= 0) {
        const line = this.output.slice(0, nl);
        this.output = this.output.slice(nl + 1);
        if (line.startsWith('state ')) this.state = line.slice(6);
        if (line.startsWith('processed ')) this.processed = Number(line.slice(10));
        if (line.startsWith('tasks ')) this.tasks = line.slice(6) === '' ? [] : line.slice(6).split(',');
        nl = this.output.indexOf('\n');
      }
    });
    this.process.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${processId}] ${chunk}`));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** kill -9: no commit, no leaving the group, an open transaction left behind. */
  async kill(): Promise<void> {
    if (this.running) this.process.kill('SIGKILL');
    await this.exited;
  }

  /** A clean shutdown: commit, close tasks, leave the group. */
  async stop(): Promise<number | null> {
    if (this.running) this.process.kill('SIGTERM');
    return this.exited;
  }
}
