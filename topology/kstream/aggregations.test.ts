import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../serde/serde.ts';
import { TopologyTestDriver } from '../test-driver/driver.ts';
import { StreamsBuilder } from './streams-builder.ts';

const S = Serdes.String();
const L = Serdes.Long();
const J = Serdes.Json<{ candidate: string; region?: string }>();

interface Vote {
  candidate: string;
  region?: string;
}

describe('grouped stream aggregations', () => {
  it('count by a new key repartitions, counts, and stamps each result with the largest input timestamp', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never });
    b.stream<string, Vote>('votes', { valueSerde: J })
      .groupBy((_k, v) => v.candidate, { valueSerde: J })
      .count()
      .toStream()
      .to('counts', { valueSerde: L });
    const driver = new TopologyTestDriver(b.build());
    const votes = driver.createInputTopic('votes', S, J);
    votes.pipeInput('v1', { candidate: 'ada' }, 10);
    votes.pipeInput('v2', { candidate: 'bo' }, 20);
    votes.pipeInput('v3', { candidate: 'ada' }, 5); // out of order: the count keeps timestamp 10
    const out = driver
      .createOutputTopic('counts', S, L)
      .readRecordsToList()
      .map((r) => [r.key, r.value, r.timestamp]);
    assert.deepEqual(out, [
      ['ada', 1, 10],
      ['bo', 1, 20],
      ['ada', 2, 10],
    ]);
    driver.close();
  });

  it('skips null keys and null values, noting them in the processing log', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
    b.stream<string, string>('in').groupByKey().count().toStream().to('out', { valueSerde: L });
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput(null, 'x', 1);
    input.pipeInput('a', null, 2);
    input.pipeInput('a', 'x', 3);
    assert.deepEqual(driver.createOutputTopic('out', S, L).readKeyValuesToList(), [{ key: 'a', value: 1 }]);
    assert.deepEqual(
      driver.processingLog.map((e) => e.kind),
      ['null-key', 'null-value'],
    );
    driver.close();
  });

  it('reduce and aggregate fold values per key', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: L as never });
    const grouped = b.stream<string, number>('in').groupByKey();
    grouped
      .reduce((a, v) => a + v, { storeName: 'sum' })
      .toStream()
      .to('sums');
    grouped
      .aggregate(
        () => ({ n: 0, max: 0 }),
        (_k, v, agg) => ({ n: agg.n + 1, max: Math.max(agg.max, v) }),
        { valueSerde: Serdes.Json() },
      )
      .toStream()
      .to('stats', { valueSerde: Serdes.Json() });
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('in', S, L);
    input.pipeInput('k', 3, 1);
    input.pipeInput('k', 5, 2);
    assert.deepEqual(driver.createOutputTopic('sums', S, L).readValuesToList(), [3, 8]);
    assert.deepEqual(driver.createOutputTopic('stats', S, Serdes.Json()).readValuesToList(), [
      { n: 1, max: 3 },
      { n: 2, max: 5 },
    ]);
    assert.deepEqual(
      driver.getStateStore<never>('sum') &&
        (driver.getStateStore('sum') as unknown as { get(k: string): unknown }).get('k'),
      { value: 8, timestamp: 2 },
    );
    driver.close();
  });
});

describe('grouped table aggregations', () => {
  function regionCounts(singleChange = true) {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, tableGroupByEmitsSingleChange: singleChange });
    b.table<string, Vote>('voters', { valueSerde: J })
      .groupBy((_k, v) => ({ key: v.region ?? 'none', value: v }), { valueSerde: J })
      .count({ storeName: 'per-region' })
      .toStream()
      .to('regions', { valueSerde: L });
    const driver = new TopologyTestDriver(b.build());
    return { driver, voters: driver.createInputTopic('voters', S, J), out: driver.createOutputTopic('regions', S, L) };
  }

  it('moves a row that changes group: subtract from the old group, add to the new', () => {
    const { driver, voters, out } = regionCounts();
    voters.pipeInput('ann', { candidate: 'x', region: 'north' }, 1);
    voters.pipeInput('bob', { candidate: 'x', region: 'north' }, 2);
    voters.pipeInput('ann', { candidate: 'x', region: 'south' }, 3);
    assert.deepEqual(out.readKeyValuesToList(), [
      { key: 'north', value: 1 },
      { key: 'north', value: 2 },
      { key: 'north', value: 1 },
      { key: 'south', value: 1 },
    ]);
    driver.close();
  });

  it('a row update within its group is one change (or subtract-then-add with the older behaviour)', () => {
    const single = regionCounts(true);
    single.voters.pipeInput('ann', { candidate: 'x', region: 'north' }, 1);
    single.voters.pipeInput('ann', { candidate: 'y', region: 'north' }, 2);
    assert.deepEqual(single.out.readValuesToList(), [1, 1]);
    single.driver.close();
    const twoStep = regionCounts(false);
    twoStep.voters.pipeInput('ann', { candidate: 'x', region: 'north' }, 1);
    twoStep.voters.pipeInput('ann', { candidate: 'y', region: 'north' }, 2);
    assert.deepEqual(twoStep.out.readValuesToList(), [1, 0, 1]);
    twoStep.driver.close();
  });

  it('a tombstone removes the row from its group', () => {
    const { driver, voters, out } = regionCounts();
    voters.pipeInput('ann', { candidate: 'x', region: 'north' }, 1);
    voters.pipeInput('ann', null, 2);
    voters.pipeInput('gone', null, 3); // delete of an unknown row: nothing to subtract
    assert.deepEqual(out.readKeyValuesToList(), [
      { key: 'north', value: 1 },
      { key: 'north', value: 0 },
    ]);
    driver.close();
  });

  it('table aggregate with adder and subtractor keeps a sum right under updates', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never });
    b.table<string, number>('balances', { valueSerde: L })
      .groupBy((_k, v) => ({ key: 'total', value: v }), { valueSerde: L })
      .aggregate(
        () => 0,
        (_k, v, agg) => agg + v,
        (_k, v, agg) => agg - v,
        { valueSerde: L },
      )
      .toStream()
      .to('total', { valueSerde: L });
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('balances', S, L);
    input.pipeInput('a', 10, 1);
    input.pipeInput('b', 5, 2);
    input.pipeInput('a', 7, 3);
    input.pipeInput('b', null, 4);
    assert.deepEqual(driver.createOutputTopic('total', S, L).readValuesToList(), [10, 15, 12, 7]);
    driver.close();
  });
});

describe('table operators', () => {
  it('filter forwards a delete for each rejected update when no old values are needed', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: L as never });
    b.table<string, number>('t')
      .filter((_k, v) => v > 5)
      .toStream()
      .to('out');
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('t', S, L);
    input.pipeInput('a', 10, 1);
    input.pipeInput('a', 3, 2);
    input.pipeInput('b', 1, 3);
    assert.deepEqual(driver.createOutputTopic('out', S, L).readKeyValuesToList(), [
      { key: 'a', value: 10 },
      { key: 'a', value: null },
      { key: 'b', value: null },
    ]);
    driver.close();
  });

  it('mapValues and toStream carry updates and tombstones', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: L as never });
    b.table<string, number>('t')
      .mapValues((v) => v * 10)
      .toStream()
      .to('out');
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('t', S, L);
    input.pipeInput('a', 1, 1);
    input.pipeInput('a', null, 2);
    assert.deepEqual(driver.createOutputTopic('out', S, L).readValuesToList(), [10, null]);
    driver.close();
  });

  it('a materialized table keeps the latest value per key in its store', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: L as never });
    b.table<string, number>('t', {}, { storeName: 'latest' });
    const driver = new TopologyTestDriver(b.build());
    const input = driver.createInputTopic('t', S, L);
    input.pipeInput('a', 1, 1);
    input.pipeInput('a', 2, 2);
    input.pipeInput('b', 3, 3);
    input.pipeInput('b', null, 4);
    const store = driver.getStateStore('latest') as unknown as {
      all(): Array<{ key: string; value: { value: number } }>;
    };
    assert.deepEqual(
      store.all().map((e) => [e.key, e.value.value]),
      [['a', 2]],
    );
    driver.close();
  });
});
