/**
 * Runs QTT cases in worker threads with a time budget per case, so that a
 * case that loops forever or crashes its thread costs that case only: the
 * worker is terminated, the case counts as failed (timeout or crash), and a
 * fresh worker takes the next case.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { QttRun } from './qtt.ts';
import type { CaseResult } from './runner.ts';

export interface PoolOptions {
  /** Per-case budget in milliseconds (default 10 s). */
  readonly timeoutMs?: number;
  readonly workers?: number;
  readonly onResult?: (result: CaseResult) => void;
  /** The module each worker loads (default worker.ts, the QTT runner; rqtt-worker.ts runs RQTT cases). */
  readonly workerModule?: URL;
}

/** What the pool needs of a run: where to find it, and its name for results. */
export type PoolRun = Pick<QttRun, 'file' | 'index' | 'format' | 'name'>;

/**
 * Worker threads do not inherit tsx's loader hooks, so each worker first
 * registers tsx, then loads worker.ts.
 */
function workerBootstrap(module: URL): string {
  // Resolved when a pool starts, not at import, so that importing the engine never depends on it.
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = module.href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}); });`;
}

export interface WorkerRequest {
  readonly id: number;
  readonly file: string;
  readonly index: number;
  readonly format: string | null;
}

export async function runInPool(runs: readonly PoolRun[], options: PoolOptions = {}): Promise<CaseResult[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const size = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), runs.length));
  const results: CaseResult[] = new Array(runs.length);
  let next = 0;

  const bootstrap = workerBootstrap(options.workerModule ?? new URL('./worker.ts', import.meta.url));
  const spawn = () => new Worker(bootstrap, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 1024 } });

  const lane = async (): Promise<void> => {
    let worker = spawn();
    try {
      while (next < runs.length) {
        const id = next++;
        const run = runs[id] as PoolRun;
        const base = { file: run.file, name: run.name, format: run.format };
        const result = await new Promise<CaseResult>((resolve) => {
          const timer = setTimeout(() => {
            cleanup();
            void worker.terminate();
            worker = spawn();
            resolve({ ...base, passed: false, category: 'timeout', reason: `no result within ${timeoutMs} ms` });
          }, timeoutMs);
          const onMessage = (message: { id: number; result: CaseResult }) => {
            if (message.id !== id) return;
            cleanup();
            resolve(message.result);
          };
          const onError = (error: Error) => {
            cleanup();
            worker = spawn();
            resolve({ ...base, passed: false, category: 'crash', reason: `worker died: ${error.message}` });
          };
          const cleanup = () => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            worker.off('error', onError);
          };
          worker.on('message', onMessage);
          worker.on('error', onError);
          const request: WorkerRequest = { id, file: run.file, index: run.index, format: run.format };
          worker.postMessage(request);
        });
        results[id] = result;
        options.onResult?.(result);
      }
    } finally {
      await worker.terminate();
    }
  };

  await Promise.all(Array.from({ length: size }, lane));
  return results;
}
