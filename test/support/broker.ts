/** A broker for tests: its own temporary folder, an ephemeral port, stopped after the test file. */
import { after } from 'node:test';
import { Broker, type BrokerOptions } from '../../broker/index.ts';
import { makeTemporaryDir, removeDir, testLogger } from './index.ts';

export interface TestBroker {
  broker: Broker;
  /** host:port for clients. */
  address: string;
  dataDir: string;
  stop(): Promise<void>;
  /** After stop(): the broker again on the same port and folder, as a restarted broker process (`broker` is the new one). */
  startAgain(): Promise<void>;
}

export async function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? makeTemporaryDir('tally-broker-');
  const start = (port: number) =>
    Broker.start({ host: '127.0.0.1', port, dataDir, logger: testLogger('broker'), ...options });
  let stopped = false;
  const testBroker: TestBroker = {
    broker: await start(0),
    address: '',
    dataDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await testBroker.broker.stop();
    },
    startAgain: async () => {
      if (!stopped) throw new Error('startAgain() needs the broker stopped first');
      testBroker.broker = await start(testBroker.broker.port);
      stopped = false;
    },
  };
  testBroker.address = `127.0.0.1:${testBroker.broker.port}`;
  // Stop first, then remove the folder: a clean shutdown still writes to it.
  after(async () => {
    await testBroker.stop();
    if (!options.dataDir) removeDir(dataDir);
  });
  return testBroker;
}
