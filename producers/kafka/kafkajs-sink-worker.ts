/**
 * A worker thread running one kafkajs idempotent producer (a KafkajsSink)
 * for kafkajs-threaded-sink.ts: it takes packed records (record-packing.ts),
 * sends them in the order received, and answers each request in that order.
 * kafkajs's log lines go to the parent, which logs them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFn } from 'pino';
import { UserError } from '../../config/errors.ts';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { KafkajsLogger } from './kafkajs-connection.ts';
import { KafkajsSink } from './kafkajs-sink.ts';
import { unpackRecords } from './record-packing.ts';

export interface SinkWorkerData {
  config: KafkaClientConfig;
}

export type ToSinkWorker =
  | { type: 'write'; topic: string; packed: ArrayBuffer }
  | { type: 'flush'; id: number }
  | { type: 'close' };

export type FromSinkWorker =
  | { type: 'connected' }
  /** A write was handed to kafkajs: the parent may queue another. */
  | { type: 'taken' }
  | { type: 'flushed'; id: number }
  | { type: 'failed'; message: string; userError: boolean }
  | { type: 'closed' }
  | { type: 'log'; level: LogLevel; details: Record<string, unknown>; message: string };

type LogLevel = 'info' | 'warn' | 'error';

const port = parentPort;
if (!port) throw new Error('kafkajs-sink-worker.ts runs in a worker thread (see kafkajs-threaded-sink.ts)');
const post = (message: FromSinkWorker) => port.postMessage(message);

function forward(level: LogLevel): LogFn {
  return ((details: Record<string, unknown>, message: string) => {
    try {
      post({ type: 'log', level, details, message });
    } catch {
      // Details that cannot cross threads (functions, sockets): the line still can.
      post({ type: 'log', level, details: {}, message });
    }
  }) as LogFn;
}

function failed(error: unknown): FromSinkWorker {
  return { type: 'failed', message: (error as Error).message, userError: error instanceof UserError };
}

const { config } = workerData as SinkWorkerData;
const logger: KafkajsLogger = { info: forward('info'), warn: forward('warn'), error: forward('error') };
let sink: KafkajsSink | null = null;
try {
  sink = await KafkajsSink.connect(config, logger);
  post({ type: 'connected' });
} catch (error) {
  post(failed(error));
  port.close();
}

if (sink) {
  const connected = sink;
  let failure = false;
  let queue = Promise.resolve();
  const handle = async (request: ToSinkWorker): Promise<void> => {
    try {
      if (request.type === 'close') {
        // Flushes first, unless a send failed: then it only disconnects.
        await connected.close();
        post({ type: 'closed' });
        port.close();
        return;
      }
      if (failure) return; // the parent has the failure already, and answers for us
      if (request.type === 'write') {
        await connected.write(request.topic, unpackRecords(request.packed));
        post({ type: 'taken' });
      } else {
        await connected.flush();
        post({ type: 'flushed', id: request.id });
      }
    } catch (error) {
      failure = true;
      post(failed(error));
      if (request.type === 'close') {
        post({ type: 'closed' });
        port.close();
      }
    }
  };
  port.on('message', (request: ToSinkWorker) => {
    queue = queue.then(() => handle(request));
  });
}
