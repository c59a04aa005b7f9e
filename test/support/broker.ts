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
}

export async function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? makeTemporaryDir('tally-broker-');
  const broker = await Broker.start({ host: '127.0.0.1', port: 0, dataDir, logger: testLogger('broker'), ...options });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await broker.stop();
  };
  // Stop first, then remove the folder: a clean shutdown still writes to it.
  after(async () => {
    await stop();
    if (!options.dataDir) removeDir(dataDir);
  });
  return { broker, address: `127.0.0.1:${broker.port}`, dataDir, stop };
}
