import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../serde/serde.ts';
import { sessionWindowedSerde, timeWindowedSerde } from '../serde/windowed.ts';
import { TopologyTestDriver } from '../test-driver/driver.ts';
import { Suppressed } from './ktable.ts';
import { StreamsBuilder } from './streams-builder.ts';
import { SessionWindows, TimeWindows } from './windows.ts';

const S = Serdes.String();
const L = Serdes.Long();

function windowedCounts(windows: TimeWindows, options: { final?: boolean; maxRecords?: number } = {}) {
  const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
  let table = b.stream<string, string>('in').groupByKey().windowedBy(windows).count();
  if (options.final)
    table = table.suppress(
      Suppressed.untilWindowCloses(options.maxRecords === undefined ? {} : { maxRecords: options.maxRecords }),
    );
  table.toStream().to('out', { keySerde: timeWindowedSerde(S, windows.sizeMs), valueSerde: L });
  const driver = new TopologyTestDriver(b.build());
  const input = driver.createInputTopic('in', S, S);
  const output = driver.createOutputTopic('out', timeWindowedSerde(S, windows.sizeMs), L);
  const read = () =>
    output.readRecordsToList().map((r) => [r.key?.key, r.key?.window.start, r.key?.window.end, r.value, r.timestamp]);
  return { driver, input, read };
}

describe('windows', () => {
  it('tumbling and hopping windows are aligned to the epoch', () => {
    assert.deepEqual(TimeWindows.ofSizeWithNoGrace(10).windowStartsFor(25), [20]);
    assert.deepEqual(TimeWindows.ofSizeWithNoGrace(10).windowStartsFor(20), [20]);
    assert.deepEqual(TimeWindows.ofSizeWithNoGrace(10).windowStartsFor(19), [10]);
    assert.deepEqual(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5).windowStartsFor(12), [5, 10]);
    assert.deepEqual(TimeWindows.ofSizeWithNoGrace(10).advanceBy(3).windowStartsFor(4), [0, 3]);
    assert.equal(TimeWindows.of(60_000).graceMs, 24 * 3600_000 - 60_000);
  });
});

describe('time-windowed aggregation', () => {
  it('counts per tumbling window, a record at the end bound going to the next window', () => {
    const { driver, input, read } = windowedCounts(TimeWindows.ofSizeAndGrace(10, 100));
    input.pipeInput('a', 'x', 0);
    input.pipeInput('a', 'x', 9);
    input.pipeInput('a', 'x', 10);
    assert.deepEqual(read(), [
      ['a', 0, 10, 1, 0],
      ['a', 0, 10, 2, 9],
      ['a', 10, 20, 1, 10],
    ]);
    driver.close();
  });

  it('hopping windows update every window containing the record', () => {
    const { driver, input, read } = windowedCounts(TimeWindows.ofSizeAndGrace(10, 100).advanceBy(5));
    input.pipeInput('a', 'x', 12);
    assert.deepEqual(read(), [
      ['a', 5, 15, 1, 12],
      ['a', 10, 20, 1, 12],
    ]);
    driver.close();
  });

  it('accepts out-of-order records within grace and drops them once stream time >= window end + grace', () => {
    const { driver, input, read } = windowedCounts(TimeWindows.ofSizeAndGrace(10, 5));
    input.pipeInput('a', 'x', 3);
    input.pipeInput('a', 'x', 14); // stream time 14 < 10 + 5: window [0,10) still open
    input.pipeInput('a', 'x', 4);
    input.pipeInput('a', 'x', 15); // stream time 15 = 10 + 5: window [0,10) closes
    input.pipeInput('a', 'x', 5);
    assert.deepEqual(read(), [
      ['a', 0, 10, 1, 3],
      ['a', 10, 20, 1, 14],
      ['a', 0, 10, 2, 4],
      ['a', 10, 20, 2, 15],
    ]);
    assert.equal(driver.processingLog.length, 1);
    assert.equal(driver.processingLog[0]?.kind, 'expired-window');
    assert.match(driver.processingLog[0]?.reason ?? '', /too late for window \[0,10\)/);
    driver.close();
  });

  it('EMIT FINAL: suppression emits one result per window when it closes, and drops late updates', () => {
    const { driver, input, read } = windowedCounts(TimeWindows.ofSizeAndGrace(10, 5), { final: true });
    input.pipeInput('a', 'x', 1);
    input.pipeInput('b', 'x', 2);
    input.pipeInput('a', 'x', 8);
    input.pipeInput('a', 'x', 14);
    assert.deepEqual(read(), []);
    input.pipeInput('c', 'x', 15); // window [0,10) closes at stream time 15
    assert.deepEqual(read(), [
      ['a', 0, 10, 2, 8],
      ['b', 0, 10, 1, 2],
    ]);
    input.pipeInput('a', 'x', 3); // late: dropped, nothing emitted again
    input.pipeInput('a', 'x', 30);
    assert.deepEqual(read(), [
      ['a', 10, 20, 1, 14],
      ['c', 10, 20, 1, 15],
    ]);
    driver.close();
  });

  it('EMIT FINAL: a full suppression buffer fails with an error that says which limit to raise', () => {
    const { input } = windowedCounts(TimeWindows.ofSizeAndGrace(10, 1000), { final: true, maxRecords: 2 });
    input.pipeInput('a', 'x', 1);
    input.pipeInput('b', 'x', 2);
    input.pipeInput('a', 'x', 3); // same window: replaces, still 2 records
    assert.throws(
      () => input.pipeInput('c', 'x', 4),
      /suppression buffer .* is full: 3\/2 records.*Raise the buffer limits/,
    );
  });
});

describe('session-windowed aggregation', () => {
  function sessions(graceMs = 0) {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
    b.stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, graceMs))
      .count()
      .toStream()
      .to('out', { keySerde: sessionWindowedSerde(S), valueSerde: L });
    const driver = new TopologyTestDriver(b.build());
    const output = driver.createOutputTopic('out', sessionWindowedSerde(S), L);
    return {
      driver,
      input: driver.createInputTopic('in', S, S),
      read: () =>
        output
          .readRecordsToList()
          .map((r) => [r.key?.key, r.key?.window.start, r.key?.window.end, r.value, r.timestamp]),
    };
  }

  it('extends a session within the gap and starts a new one after it', () => {
    const { driver, input, read } = sessions();
    input.pipeInput('a', 'x', 0);
    input.pipeInput('a', 'x', 5);
    input.pipeInput('a', 'x', 30);
    assert.deepEqual(read(), [
      ['a', 0, 0, 1, 0],
      ['a', 0, 0, null, 0],
      ['a', 0, 5, 2, 5],
      ['a', 30, 30, 1, 30],
    ]);
    driver.close();
  });

  it('merges two sessions bridged by a record between them, deleting both', () => {
    const { driver, input, read } = sessions(100);
    input.pipeInput('a', 'x', 0);
    input.pipeInput('a', 'x', 18);
    read();
    input.pipeInput('a', 'x', 9); // within 10 of both
    assert.deepEqual(read(), [
      ['a', 0, 0, null, 0],
      ['a', 18, 18, null, 18],
      ['a', 0, 18, 3, 18],
    ]);
    driver.close();
  });

  it('drops a record whose session would end before stream time - gap - grace', () => {
    const { driver, input, read } = sessions();
    input.pipeInput('a', 'x', 100);
    input.pipeInput('b', 'x', 89); // 89 < 100 - 10: too late
    assert.deepEqual(read(), [['a', 100, 100, 1, 100]]);
    assert.equal(driver.processingLog[0]?.kind, 'expired-window');
    driver.close();
  });
});
