/** An RQTT worker thread: runs the cases the pool sends, one at a time (each on a broker and server of its own). */
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest } from './pool.ts';
import { type RqttRun, readRqttFile } from './rqtt.ts';
import { runRqttCase } from './rqtt-runner.ts';
import type { CaseResult } from './runner.ts';

const files = new Map<string, RqttRun[]>();

parentPort?.on('message', async (request: WorkerRequest) => {
  let result: CaseResult;
  try {
    let runs = files.get(request.file);
    if (runs === undefined) {
      runs = readRqttFile(request.file);
      files.set(request.file, runs);
    }
    const run = runs.find((r) => r.index === request.index);
    if (run === undefined) throw new Error(`case ${request.index} not found in ${request.file}`);
    result = await runRqttCase(run);
  } catch (error) {
    result = {
      file: request.file,
      name: `case ${request.index}`,
      format: null,
      passed: false,
      category: 'crash',
      reason: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error),
    };
  }
  parentPort?.postMessage({ id: request.id, result });
});
