/**
 * Helpers for broker tests that use real clients: kafkajs, librdkafka
 * (@confluentinc/kafka-javascript) and Debian's kcat. The broker under test
 * runs in the same process, so every child process is awaited asynchronously.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);

export function kafkajs(address: string, extra: Partial<ConstructorParameters<typeof Kafka>[0]> = {}): Kafka {
  return new Kafka({
    clientId: 'tally-test',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    ...extra,
  });
}

export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  ts?: number;
}

/** Reads a topic from the beginning to its end with kcat (librdkafka 2.0), without a consumer group. */
export async function kcatRead(address: string, topic: string, options: string[] = []): Promise<KcatMessage[]> {
  const { stdout } = await run(
    'kcat',
    ['-b', address, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J', ...options],
    { timeout: 30_000, maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatMessage);
}

export async function kcat(args: string[], input?: string): Promise<string> {
  const child = run('kcat', args, { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}
