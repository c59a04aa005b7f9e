import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../serde/serde.ts';
import { TopologyTestDriver } from '../test-driver/driver.ts';
import type { KStream } from './kstream.ts';
import { StreamsBuilder } from './streams-builder.ts';
import { JoinWindows } from './windows.ts';

const S = Serdes.String();
const joiner = (l: string | null, r: string | null) => `${l ?? '-'}+${r ?? '-'}`;

function streamJoin(kind: 'join' | 'leftJoin' | 'outerJoin', windows: JoinWindows) {
  const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
  const left = b.stream<string, string>('left');
  const right = b.stream<string, string>('right');
  const joined: KStream<string, string> =
    kind === 'outerJoin'
      ? left.outerJoin(right, joiner, windows)
      : kind === 'leftJoin'
        ? left.leftJoin(right, joiner, windows)
        : left.join(right, joiner, windows);
  joined.to('out');
  const driver = new TopologyTestDriver(b.build());
  const output = driver.createOutputTopic('out', S, S);
  return {
    driver,
    l: driver.createInputTopic('left', S, S),
    r: driver.createInputTopic('right', S, S),
    read: () => output.readRecordsToList().map((x) => [x.key, x.value, x.timestamp]),
  };
}

describe('stream-stream joins', () => {
  it('inner: joins records of the same key within [t - before, t + after], with the larger timestamp', () => {
    const { driver, l, r, read } = streamJoin('join', JoinWindows.ofTimeDifferenceAndGrace(10, 100));
    l.pipeInput('k', 'a', 100);
    r.pipeInput('k', 'x', 110); // exactly at the bound
    r.pipeInput('k', 'y', 111); // outside
    r.pipeInput('other', 'z', 100);
    l.pipeInput('k', 'b', 101); // joins x and y
    assert.deepEqual(read(), [
      ['k', 'a+x', 110],
      ['k', 'b+x', 110],
      ['k', 'b+y', 111],
    ]);
    driver.close();
  });

  it('asymmetric windows: before and after are from the left side', () => {
    const { driver, l, r, read } = streamJoin('join', JoinWindows.ofTimeDifferenceAndGrace(0, 100).before(5).after(0));
    l.pipeInput('k', 'a', 100);
    r.pipeInput('k', 'late', 101); // after 0: no
    r.pipeInput('k', 'early', 96); // before 5: yes
    assert.deepEqual(read(), [['k', 'a+early', 100]]);
    driver.close();
  });

  it('left: a record without a partner is emitted with null only after its window closes', () => {
    const { driver, l, r, read } = streamJoin('leftJoin', JoinWindows.ofTimeDifferenceAndGrace(10, 5));
    l.pipeInput('k', 'a', 100);
    l.pipeInput('j', 'b', 102);
    r.pipeInput('j', 'x', 105); // j joins: no null result for b
    assert.deepEqual(read(), [['j', 'b+x', 105]]);
    l.pipeInput('z', 'c', 115); // stream time 115 = 100 + 10 + 5: window of a not yet closed
    assert.deepEqual(read(), []);
    l.pipeInput('z', 'd', 116); // now closed: a is emitted with its own timestamp
    assert.deepEqual(read(), [['k', 'a+-', 100]]);
    driver.close();
  });

  it('left with the legacy window emits null results at once', () => {
    const { driver, l, r, read } = streamJoin('leftJoin', JoinWindows.of(10));
    l.pipeInput('k', 'a', 100);
    r.pipeInput('k', 'x', 101);
    assert.deepEqual(read(), [
      ['k', 'a+-', 100],
      ['k', 'a+x', 101],
    ]);
    driver.close();
  });

  it('outer: unmatched records of both sides come out after their windows close', () => {
    const { driver, l, r, read } = streamJoin('outerJoin', JoinWindows.ofTimeDifferenceWithNoGrace(10));
    l.pipeInput('k', 'a', 100);
    r.pipeInput('m', 'x', 103);
    r.pipeInput('k', 'y', 105);
    assert.deepEqual(read(), [['k', 'a+y', 105]]);
    l.pipeInput('n', 'b', 200);
    assert.deepEqual(read(), [['m', '-+x', 103]]);
    driver.close();
  });

  it('skips records with a null key or value', () => {
    const { driver, l, r, read } = streamJoin('join', JoinWindows.ofTimeDifferenceAndGrace(10, 0));
    l.pipeInput(null, 'a', 1);
    l.pipeInput('k', null, 2);
    r.pipeInput('k', 'x', 3);
    assert.deepEqual(read(), []);
    assert.deepEqual(
      driver.processingLog.map((e) => e.kind),
      ['null-key', 'null-value'],
    );
    driver.close();
  });
});

describe('stream-table joins', () => {
  function enrich(left: boolean) {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
    const voters = b.table<string, string>('voters');
    const votes = b.stream<string, string>('votes');
    (left ? votes.leftJoin(voters, joiner) : votes.join(voters, joiner)).to('out');
    const driver = new TopologyTestDriver(b.build());
    const output = driver.createOutputTopic('out', S, S);
    return {
      driver,
      votes: driver.createInputTopic('votes', S, S),
      voters: driver.createInputTopic('voters', S, S),
      read: () => output.readKeyValuesToList(),
    };
  }

  it('looks the table up when the stream record arrives; table updates emit nothing', () => {
    const { driver, votes, voters, read } = enrich(false);
    votes.pipeInput('v1', 'early', 1); // no voter yet: dropped
    voters.pipeInput('v1', 'ann', 2);
    votes.pipeInput('v1', 'c1', 3);
    voters.pipeInput('v1', 'ann2', 4);
    votes.pipeInput('v1', 'c2', 5);
    voters.pipeInput('v1', null, 6);
    votes.pipeInput('v1', 'c3', 7);
    assert.deepEqual(read(), [
      { key: 'v1', value: 'c1+ann' },
      { key: 'v1', value: 'c2+ann2' },
    ]);
    driver.close();
  });

  it('left join emits with null when the table has no row', () => {
    const { driver, votes, read } = enrich(true);
    votes.pipeInput('v9', 'c1', 1);
    assert.deepEqual(read(), [{ key: 'v9', value: 'c1+-' }]);
    driver.close();
  });
});

describe('table-table joins', () => {
  function tables(kind: 'join' | 'leftJoin' | 'outerJoin') {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
    const a = b.table<string, string>('a');
    const c = b.table<string, string>('c');
    a[kind](c, joiner).toStream().to('out');
    const driver = new TopologyTestDriver(b.build());
    const output = driver.createOutputTopic('out', S, S);
    return {
      driver,
      a: driver.createInputTopic('a', S, S),
      c: driver.createInputTopic('c', S, S),
      read: () => output.readRecordsToList().map((x) => [x.key, x.value, x.timestamp]),
    };
  }

  it('inner: emits on updates from both sides, and a tombstone when a joined row goes', () => {
    const { driver, a, c, read } = tables('join');
    a.pipeInput('k', 'a1', 1);
    c.pipeInput('k', 'c1', 2);
    a.pipeInput('k', 'a2', 3);
    c.pipeInput('k', null, 4);
    a.pipeInput('k', 'a3', 5);
    assert.deepEqual(read(), [
      ['k', 'a1+c1', 2],
      ['k', 'a2+c1', 3],
      ['k', null, 4],
    ]);
    driver.close();
  });

  it('left: every left row emits, with null for a missing right row', () => {
    const { driver, a, c, read } = tables('leftJoin');
    a.pipeInput('k', 'a1', 1);
    c.pipeInput('k', 'c1', 2);
    c.pipeInput('k', null, 3);
    c.pipeInput('x', 'c9', 4); // no left row: nothing
    a.pipeInput('k', null, 5);
    assert.deepEqual(read(), [
      ['k', 'a1+-', 1],
      ['k', 'a1+c1', 2],
      ['k', 'a1+-', 3],
      ['k', null, 5],
    ]);
    driver.close();
  });

  it('outer: rows of either side emit; the result goes when both rows are gone', () => {
    const { driver, a, c, read } = tables('outerJoin');
    c.pipeInput('k', 'c1', 1);
    a.pipeInput('k', 'a1', 2);
    a.pipeInput('k', null, 3);
    c.pipeInput('k', null, 4);
    assert.deepEqual(read(), [
      ['k', '-+c1', 1],
      ['k', 'a1+c1', 2],
      ['k', '-+c1', 3],
      ['k', null, 4],
    ]);
    driver.close();
  });

  it('foreign key: joins each row to the row its foreign key names, following changes on both sides', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never });
    const J = Serdes.Json<{ candidate: string }>();
    const votes = b.table<string, { candidate: string }>('votes', { valueSerde: J });
    const candidates = b.table<string, string>('candidates', { valueSerde: S });
    votes
      .joinOnForeignKey(
        candidates,
        (v) => v.candidate,
        (v, c) => `${v?.candidate}:${c}`,
      )
      .toStream()
      .to('out', { valueSerde: S });
    const driver = new TopologyTestDriver(b.build());
    const v = driver.createInputTopic('votes', S, J);
    const c = driver.createInputTopic('candidates', S, S);
    const out = driver.createOutputTopic('out', S, S);
    v.pipeInput('v1', { candidate: 'c1' }, 1); // no candidate yet: nothing (inner)
    c.pipeInput('c1', 'Ada', 2);
    v.pipeInput('v2', { candidate: 'c1' }, 3);
    c.pipeInput('c1', 'Ada L.', 4);
    v.pipeInput('v1', { candidate: 'c2' }, 5); // moves to a missing candidate: tombstone
    c.pipeInput('c2', 'Bo', 6);
    v.pipeInput('v2', null, 7);
    assert.deepEqual(out.readKeyValuesToList(), [
      { key: 'v1', value: 'c1:Ada' },
      { key: 'v2', value: 'c1:Ada' },
      { key: 'v1', value: 'c1:Ada L.' },
      { key: 'v2', value: 'c1:Ada L.' },
      { key: 'v1', value: null },
      { key: 'v1', value: 'c2:Bo' },
      { key: 'v2', value: null },
    ]);
    driver.close();
  });
});
