/** A conformance worker thread: runs the cases the pool sends, one at a time, and answers with each result. */
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest } from './pool.ts';
import { type QttRun, readQttFile } from './qtt.ts';
import { type CaseResult, runCase } from './runner.ts';

const files = new Map<string, QttRun[]>();

parentPort?.on('message', (request: WorkerRequest) => {
  let result: CaseResult;
  try {
    let runs = files.get(request.file);
    if (runs === undefined) {
      runs = readQttFile(request.file);
      files.set(request.file, runs);
    }
    const run = runs.find((r) => r.index === request.index && r.format === request.format);
    if (run === undefined) throw new Error(`case ${request.index} (${request.format}) not found in ${request.file}`);
    result = runCase(run);
  } catch (error) {
    result = {
      file: request.file,
      name: `case ${request.index}`,
      format: request.format,
      passed: false,
      category: 'crash',
      reason: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error),
    };
  }
  parentPort?.postMessage({ id: request.id, result });
});
