/**
 * A ksqlDB server for a test file, on an in-process broker, both stopped at
 * the end of the file: the server first, while the broker still answers
 * (node:test runs `after` hooks in the order they were registered).
 */
import { after } from 'node:test';
import { type KsqlRestServer, startKsqlRestServer } from '../../engine/server/app.ts';
import { startTestBroker, type TestBroker } from './broker.ts';
import { temporaryDir, testLogger } from './index.ts';

export async function startTestKsqlServer(): Promise<{ broker: TestBroker; server: KsqlRestServer }> {
  let server: KsqlRestServer | undefined;
  after(async () => {
    await server?.stop();
  });
  const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  server = await startKsqlRestServer({
    bootstrapServers: [broker.address],
    stateDir: temporaryDir('tally-ksql-'),
    host: '127.0.0.1',
    port: 0,
    logger: testLogger('ksql'),
    cacheMaxBytes: 0,
  });
  return { broker, server };
}
