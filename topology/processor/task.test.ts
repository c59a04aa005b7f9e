import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { Serdes } from '../serde/serde.ts';
import { Stores } from '../state/stores.ts';
import type { KeyValueStore } from '../state/typed.ts';
import { TopologyTestDriver } from '../test-driver/driver.ts';
import type { Processor, ProcessorContext } from './processor.ts';
import { Record } from './record.ts';
import { fieldTimestamp } from './timestamp.ts';
import { Topology } from './topology.ts';

const str = Serdes.String() as never;
const long = Serdes.Long() as never;

/** Counts per key in a named store and emits the running totals on a stream-time punctuation. */
class PeriodicCounter implements Processor<string, string, string, number> {
  private context!: ProcessorContext<string, number>;
  private store!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, number>): void {
    this.context = context;
    this.store = context.getStateStore('counts');
    context.schedule(10, 'stream-time', (time) => {
      for (const { key, value } of this.store.all()) this.context.forward(new Record(key, value, time));
    });
  }

  process(record: Record<string, string>): void {
    this.store.put(record.key, (this.store.get(record.key) ?? 0) + 1);
  }
}

function counterTopology(): Topology {
  return new Topology()
    .addSource('in', ['words'], { keySerde: str, valueSerde: str })
    .addProcessor('counter', () => new PeriodicCounter(), 'in')
    .addStateStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), Serdes.String(), Serdes.Long()) as never,
      'counter',
    )
    .addSink('out', 'totals', { keySerde: str, valueSerde: long }, 'counter');
}

describe('Processor API', () => {
  it('punctuates by stream time: first with the first record, then once per interval, skipping missed ones', () => {
    const driver = new TopologyTestDriver(counterTopology());
    const input = driver.createInputTopic('words', Serdes.String(), Serdes.String());
    const output = driver.createOutputTopic('totals', Serdes.String(), Serdes.Long());
    input.pipeInput('a', 'x', 0); // fires at 0
    assert.deepEqual(
      output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]),
      [['a', 1, 0]],
    );
    input.pipeInput('b', 'x', 5); // next at 10: nothing
    assert.equal(output.getQueueSize(), 0);
    input.pipeInput('a', 'x', 37); // one punctuation for 10, 20, 30
    assert.deepEqual(
      output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]),
      [
        ['a', 2, 37],
        ['b', 1, 37],
      ],
    );
    input.pipeInput('a', 'x', 39);
    assert.equal(output.getQueueSize(), 0);
    driver.close();
  });

  it('punctuates by wall-clock time only when the driver moves the clock', () => {
    const topology = new Topology()
      .addSource('in', ['t'], { keySerde: str, valueSerde: str })
      .addProcessor(
        'ticker',
        () => {
          let context: ProcessorContext<string, string>;
          return {
            init(c: ProcessorContext<string, string>) {
              context = c;
              c.schedule(1000, 'wall-clock-time', (now) => context.forward(new Record('tick', String(now), now)));
            },
            process() {},
          };
        },
        'in',
      )
      .addSink('out', 'ticks', { keySerde: str, valueSerde: str }, 'ticker');
    const driver = new TopologyTestDriver(topology, { initialWallClockMs: 5000 });
    const ticks = driver.createOutputTopic('ticks', Serdes.String(), Serdes.String());
    driver.advanceWallClockTime(999);
    assert.equal(ticks.getQueueSize(), 0);
    driver.advanceWallClockTime(1);
    assert.deepEqual(ticks.readValuesToList(), ['6000']);
    driver.advanceWallClockTime(2500);
    assert.deepEqual(ticks.readValuesToList(), ['8500']);
    driver.close();
  });

  it('refuses a store the processor was not connected to, naming both', () => {
    const topology = new Topology().addSource('in', ['t'], { keySerde: str, valueSerde: str }).addProcessor(
      'p',
      () => ({
        init: (c: ProcessorContext) => {
          c.getStateStore('missing');
        },
        process() {},
      }),
      'in',
    );
    assert.throws(() => new TopologyTestDriver(topology), /processor p is not connected to store missing/);
  });

  it('skips records that cannot be deserialized, with the position and reason in the processing log', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.Json<{ n: number }>() })
      .mapValues((v) => v.n * 2)
      .to('out', { valueSerde: Serdes.Long() });
    const driver = new TopologyTestDriver(builder.build());
    const output = driver.createOutputTopic('out', Serdes.String(), Serdes.Long());
    driver.pipeRaw('in', Buffer.from('k'), Buffer.from('{"n":1}'), 1);
    driver.pipeRaw('in', Buffer.from('k'), Buffer.from('{"n":'), 2);
    driver.pipeRaw('in', Buffer.from('k'), Buffer.from('{"n":3}'), 3);
    assert.deepEqual(output.readValuesToList(), [2, 6]);
    assert.equal(driver.processingLog.length, 1);
    const entry = driver.processingLog[0];
    assert.equal(entry?.kind, 'deserialization-error');
    assert.equal(entry?.topic, 'in');
    assert.equal(entry?.offset, 1);
    assert.match(entry?.reason ?? '', /malformed JSON on topic in/);
    driver.close();
  });

  it('takes event time from a field with a timestamp extractor and skips records without one', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('votes', {
        keySerde: Serdes.String(),
        valueSerde: Serdes.Json<{ cast_at?: string }>(),
        timestampExtractor: fieldTimestamp('cast_at'),
      })
      .to('out', { valueSerde: Serdes.Json() });
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('votes', Serdes.String(), Serdes.Json<{ cast_at?: string }>());
    const output = driver.createOutputTopic('out', Serdes.String(), Serdes.Json());
    input.pipeInput('v', { cast_at: '2024-05-01T10:00:00Z' }, 1);
    input.pipeInput('v', {}, 2);
    assert.deepEqual(
      output.readRecordsToList().map((r) => r.timestamp),
      [Date.parse('2024-05-01T10:00:00Z')],
    );
    assert.equal(driver.processingLog[0]?.kind, 'invalid-timestamp');
    driver.close();
  });
});

describe('describe()', () => {
  it('prints sub-topologies, sources, processors with stores, and sinks like Topology#describe()', () => {
    const builder = new StreamsBuilder({
      defaultKeySerde: Serdes.String() as never,
      defaultValueSerde: Serdes.String() as never,
    });
    builder
      .stream<string, string>('votes')
      .filter((_k, v) => v !== '')
      .groupBy((_k, v) => v, { name: 'by-candidate' })
      .count({ storeName: 'vote-counts' })
      .toStream()
      .to('counts', { valueSerde: Serdes.Long() });
    assert.equal(
      builder.build().describe(),
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [votes])',
        '      --> KSTREAM-FILTER-0000000001',
        '    Processor: KSTREAM-FILTER-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> by-candidate-repartition-filter',
        '      <-- KSTREAM-FILTER-0000000001',
        '    Processor: by-candidate-repartition-filter (stores: [])',
        '      --> by-candidate-repartition-sink',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '    Sink: by-candidate-repartition-sink (topic: by-candidate-repartition)',
        '      <-- by-candidate-repartition-filter',
        '',
        '  Sub-topology: 1',
        '    Source: by-candidate-repartition-source (topics: [by-candidate-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000003',
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [vote-counts])',
        '      --> KTABLE-TOSTREAM-0000000004',
        '      <-- by-candidate-repartition-source',
        '    Processor: KTABLE-TOSTREAM-0000000004 (stores: [])',
        '      --> KSTREAM-SINK-0000000005',
        '      <-- KSTREAM-AGGREGATE-0000000003',
        '    Sink: KSTREAM-SINK-0000000005 (topic: counts)',
        '      <-- KTABLE-TOSTREAM-0000000004',
        '',
        '',
      ].join('\n'),
    );
  });

  it('lists internal and changelog topics and co-partitioned join inputs', () => {
    const builder = new StreamsBuilder({
      defaultKeySerde: Serdes.String() as never,
      defaultValueSerde: Serdes.String() as never,
    });
    const voters = builder.table<string, string>('voters');
    builder
      .stream<string, string>('votes')
      .join(voters, (vote, voter) => `${vote}:${voter}`)
      .to('enriched');
    const topology = builder.build();
    assert.deepEqual(topology.copartitionGroups(), [['votes', 'voters']]);
    assert.deepEqual([...topology.changelogTopics('app').values()], ['app-voters-STATE-STORE-0000000002-changelog']);
    assert.equal(topology.subtopologies().length, 1);
  });
});
