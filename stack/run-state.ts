/**
 * The run-state file `<dataDir>/run/stack.json`: written by the supervisor
 * whenever a service changes state, read by `tally up`, `status` and `down`,
 * which run in other processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceStatus } from './service.ts';

export type StackPhase = 'starting' | 'running' | 'failed' | 'stopping' | 'stopped';

export interface RunState {
  /** The supervisor's process id. */
  pid: number;
  phase: StackPhase;
  startedAt: string;
  error?: string;
  services: ServiceStatus[];
}

export function runStateFile(runDir: string): string {
  return path.join(runDir, 'stack.json');
}

export function readRunState(runDir: string): RunState | undefined {
  try {
    return JSON.parse(fs.readFileSync(runStateFile(runDir), 'utf8')) as RunState;
  } catch {
    return undefined;
  }
}

/** Writes atomically (rename), so that a reader never sees half a file. */
export function writeRunState(runDir: string, state: RunState): void {
  fs.mkdirSync(runDir, { recursive: true });
  const file = runStateFile(runDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

export function isAlive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (PostgreSQL run as `postgres`).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
