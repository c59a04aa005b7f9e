import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { TimeWindows } from '../kstream/windows.ts';
import { Serdes } from '../serde/serde.ts';
import { timeWindowedSerde } from '../serde/windowed.ts';
import { TopologyTestDriver } from './driver.ts';

const S = Serdes.String();
const L = Serdes.Long();

function countTopology(persistent = false) {
  const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
  b.stream<string, string>('votes')
    .groupBy((_k, v) => v)
    .count({ storeName: 'counts', persistent })
    .toStream()
    .to('totals', { valueSerde: L });
  return b.build();
}

describe('TopologyTestDriver', () => {
  it('emits every update with caching off (the default)', () => {
    const driver = new TopologyTestDriver(countTopology());
    const input = driver.createInputTopic('votes', S, S);
    for (let i = 0; i < 3; i++) input.pipeInput(`v${i}`, 'ada', i);
    assert.deepEqual(driver.createOutputTopic('totals', S, L).readValuesToList(), [1, 2, 3]);
    driver.close();
  });

  it('with caching on, coalesces updates per key until a commit', () => {
    const driver = new TopologyTestDriver(countTopology(), { caching: true, commitIntervalMs: 1000 });
    const input = driver.createInputTopic('votes', S, S);
    const output = driver.createOutputTopic('totals', S, L);
    for (let i = 0; i < 3; i++) input.pipeInput(`v${i}`, 'ada', i);
    input.pipeInput('v9', 'bo', 9);
    assert.equal(output.getQueueSize(), 0);
    driver.advanceWallClockTime(1000); // past the commit interval: commit flushes the cache
    assert.deepEqual(output.readKeyValuesToList(), [
      { key: 'ada', value: 3 },
      { key: 'bo', value: 1 },
    ]);
    const changelog = driver.createOutputTopic('test-app-counts-changelog', S, L);
    assert.deepEqual(changelog.readValuesToList(), [3, 1]);
    driver.close();
  });

  it('writes changelogs exactly like Kafka Streams, and a driver restored from them continues the counts', () => {
    const first = new TopologyTestDriver(countTopology(), { applicationId: 'tally' });
    const input = first.createInputTopic('votes', S, S);
    input.pipeInput('v1', 'ada', 10);
    input.pipeInput('v2', 'ada', 20);
    input.pipeInput('v3', 'bo', 30);
    const changelogs = first.changelogRecords();
    assert.deepEqual([...changelogs.keys()], ['tally-counts-changelog']);
    const records = changelogs.get('tally-counts-changelog') ?? [];
    assert.deepEqual(
      records.map((r) => [r.key.toString(), L.deserialize('', r.value), r.timestamp]),
      [
        ['ada', 1, 10],
        ['ada', 2, 20],
        ['bo', 1, 30],
      ],
    );
    first.close();

    const second = new TopologyTestDriver(countTopology(), { applicationId: 'tally', restoreFrom: changelogs });
    second.createInputTopic('votes', S, S).pipeInput('v4', 'ada', 40);
    assert.deepEqual(second.createOutputTopic('totals', S, L).readKeyValuesToList(), [{ key: 'ada', value: 3 }]);
    second.close();
  });

  it('restores windowed state, so a window keeps counting and late records stay late', () => {
    const build = () => {
      const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
      b.stream<string, string>('in')
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 0))
        .count({ storeName: 'w' })
        .toStream()
        .to('out', { keySerde: timeWindowedSerde(S, 10), valueSerde: L });
      return b.build();
    };
    const first = new TopologyTestDriver(build());
    first.createInputTopic('in', S, S).pipeInput('k', 'x', 5);
    first.createInputTopic('in', S, S).pipeInput('k', 'x', 12);
    const changelogs = first.changelogRecords();
    // Kafka Streams' window changelog: key [key][window start: int64][seqnum: int32], value the plain count.
    const windowKey = (start: number) => {
      const key = Buffer.alloc(13);
      key.write('k', 0);
      key.writeBigInt64BE(BigInt(start), 1);
      return key;
    };
    assert.deepEqual(
      (changelogs.get('test-app-w-changelog') ?? []).map((r) => [r.key, r.value?.readBigInt64BE(0), r.timestamp]),
      [
        [windowKey(0), 1n, 5],
        [windowKey(10), 1n, 12],
      ],
    );
    first.close();
    const second = new TopologyTestDriver(build(), { restoreFrom: changelogs });
    const input = second.createInputTopic('in', S, S);
    input.pipeInput('k', 'x', 15);
    const out = second.createOutputTopic('out', timeWindowedSerde(S, 10), L).readRecordsToList();
    assert.deepEqual(
      out.map((r) => [r.key?.window.start, r.value]),
      [[10, 2]],
    );
    second.close();
  });

  it('runs persistent (lmdb) stores in a state folder it removes on close', () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-driver-test-'));
    try {
      const driver = new TopologyTestDriver(countTopology(true), { stateDir, applicationId: 'disk' });
      const input = driver.createInputTopic('votes', S, S);
      for (let i = 0; i < 100; i++) input.pipeInput(`v${i}`, i % 2 === 0 ? 'ada' : 'bo', i);
      driver.commit();
      assert.ok(
        fs.existsSync(path.join(stateDir, 'disk', '0_0', 'counts')),
        'the store lives under <stateDir>/<app>/<task>/<store>',
      );
      const totals = driver.createOutputTopic('totals', S, L).readKeyValuesToMap();
      assert.deepEqual(
        [...totals],
        [
          ['ada', 50],
          ['bo', 50],
        ],
      );
      const store = driver.getStateStore('counts') as unknown as { get(k: string): { value: number } | null };
      assert.equal(store.get('ada')?.value, 50);
      driver.close();
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses to pipe into a topic the topology does not read, listing the inputs', () => {
    const driver = new TopologyTestDriver(countTopology());
    assert.throws(() => driver.createInputTopic('nope', S, S), /not an input of this topology \(inputs: votes/);
    driver.close();
  });
});
