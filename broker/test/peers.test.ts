// Other real peers: Debian's kcat (librdkafka 2.0.2) and the Python clients
// (confluent-kafka on librdkafka 2.0.2, and the pure-Python kafka-python).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestBroker } from '../../test/support/broker.ts';
import { kafkajs, kcat, kcatRead } from './clients.ts';

const run = promisify(execFile);
/** Debian's Python, which has python3-confluent-kafka and python3-kafka (a pyenv python3 may not). */
const PYTHON = '/usr/bin/python3';

describe('the broker with kcat and the Python clients', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });

  it('kcat: metadata, produce with keys, consume, and a consumer group that commits', async () => {
    const admin = kafkajs(address).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kcat-votes', numPartitions: 3 }] });
    await admin.disconnect();

    const metadata = JSON.parse(await kcat(['-b', address, '-L', '-J', '-t', 'kcat-votes']));
    assert.equal(metadata.topics[0].partitions.length, 3);

    const lines = Array.from({ length: 60 }, (_, i) => `voter-${i}:vote-${i}`).join('\n');
    await kcat(['-b', address, '-P', '-t', 'kcat-votes', '-K', ':', '-X', 'enable.idempotence=true'], `${lines}\n`);
    const read = await kcatRead(address, 'kcat-votes');
    assert.equal(read.length, 60);
    assert.deepEqual(read.map((m) => `${m.key}:${m.payload}`).sort(), lines.split('\n').sort());

    // A balanced consumer group: reads everything once and commits (-e ends at the end of each partition).
    const group = await kcat([
      '-b',
      address,
      '-G',
      'kcat-group',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%s\n',
      'kcat-votes',
    ]);
    assert.equal(group.trim().split('\n').length, 60);
    const groupAdmin = kafkajs(address).admin();
    await groupAdmin.connect();
    const offsets = await groupAdmin.fetchOffsets({ groupId: 'kcat-group', topics: ['kcat-votes'] });
    await groupAdmin.disconnect();
    assert.equal(
      offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0),
      60,
    );
  });

  it('python confluent-kafka: a produce and consume round trip through a group', async () => {
    const script = `
import sys, confluent_kafka as ck
address = sys.argv[1]
p = ck.Producer({'bootstrap.servers': address, 'enable.idempotence': True})
for i in range(50):
    p.produce('py-votes', key=f'k{i}', value=f'py-{i}')
assert p.flush(10) == 0
c = ck.Consumer({'bootstrap.servers': address, 'group.id': 'py-group', 'auto.offset.reset': 'earliest'})
c.subscribe(['py-votes'])
seen = []
while len(seen) < 50:
    m = c.poll(5)
    if m is None: break
    if m.error(): raise Exception(m.error())
    seen.append(m.value().decode())
c.commit(asynchronous=False)
c.close()
print(','.join(seen))
`;
    const { stdout } = await run(PYTHON, ['-c', script, address], { timeout: 60_000 });
    assert.deepEqual(
      stdout.trim().split(','),
      Array.from({ length: 50 }, (_, i) => `py-${i}`),
    );
  });

  it('python kafka-python: a produce and consume round trip', async () => {
    const script = `
import sys
from kafka import KafkaProducer, KafkaConsumer
address = sys.argv[1]
# api_version given: kafka-python's version probe times out on a loaded machine and then assumes 0.8, without groups.
p = KafkaProducer(bootstrap_servers=address, acks='all', api_version=(2, 0, 0))
for i in range(30):
    p.send('kp-votes', key=f'k{i}'.encode(), value=f'kp-{i}'.encode())
p.flush()
p.close()
# A generous idle timeout: joining the group can take seconds on a loaded machine.
c = KafkaConsumer('kp-votes', bootstrap_servers=address, group_id='kp-group', auto_offset_reset='earliest', consumer_timeout_ms=30000, api_version=(2, 0, 0))
seen = []
for m in c:
    seen.append(m.value.decode())
    if len(seen) == 30: break
c.commit()
c.close()
print(','.join(seen))
`;
    const { stdout } = await run(PYTHON, ['-c', script, address], { timeout: 60_000 });
    assert.deepEqual(
      stdout.trim().split(','),
      Array.from({ length: 30 }, (_, i) => `kp-${i}`),
    );
  });
});
