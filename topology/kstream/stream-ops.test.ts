import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../serde/serde.ts';
import { TopologyTestDriver } from '../test-driver/driver.ts';
import { StreamsBuilder } from './streams-builder.ts';

const S = Serdes.String();
const builder = () => new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });

function run(
  build: (b: StreamsBuilder) => void,
  inputs: Array<[string | null, string | null, number]>,
  outputs: string[] = ['out'],
) {
  const b = builder();
  build(b);
  const driver = new TopologyTestDriver(b.build());
  const input = driver.createInputTopic('in', S, S);
  for (const [k, v, t] of inputs) input.pipeInput(k, v, t);
  const result = outputs.map((topic) =>
    driver
      .createOutputTopic(topic, S, S)
      .readRecordsToList()
      .map((r) => [r.key, r.value, r.timestamp]),
  );
  driver.close();
  return result;
}

describe('stream operators', () => {
  it('filter and filterNot keep or drop records by predicate', () => {
    const [kept, dropped] = run(
      (b) => {
        const s = b.stream<string, string>('in');
        s.filter((_k, v) => v.startsWith('y')).to('out');
        s.filterNot((_k, v) => v.startsWith('y')).to('rest');
      },
      [
        ['a', 'yes', 1],
        ['b', 'no', 2],
      ],
      ['out', 'rest'],
    );
    assert.deepEqual(kept, [['a', 'yes', 1]]);
    assert.deepEqual(dropped, [['b', 'no', 2]]);
  });

  it('map, mapValues, selectKey, flatMap and flatMapValues keep the timestamp', () => {
    const [out] = run(
      (b) => {
        const s = b.stream<string, string>('in');
        s.map((k, v) => ({ key: v, value: k })).to('out');
        s.mapValues((v) => v.toUpperCase()).to('out');
        s.selectKey((_k, v) => `${v}!`).to('out');
        s.flatMap((k, v) => [
          { key: k, value: `${v}1` },
          { key: k, value: `${v}2` },
        ]).to('out');
        s.flatMapValues((v) => v.split(',')).to('out');
      },
      [['k', 'v', 7]],
    );
    assert.deepEqual(out, [
      ['v', 'k', 7],
      ['k', 'V', 7],
      ['v!', 'v', 7],
      ['k', 'v1', 7],
      ['k', 'v2', 7],
      ['k', 'v', 7],
    ]);
  });

  it('peek sees every record and forwards it; foreach ends the stream', () => {
    const seen: string[] = [];
    const [out] = run(
      (b) => {
        const s = b.stream<string, string>('in').peek((k) => seen.push(`peek:${k}`));
        s.foreach((k) => seen.push(`each:${k}`));
        s.to('out');
      },
      [['a', '1', 1]],
    );
    assert.deepEqual(seen, ['peek:a', 'each:a']);
    assert.equal(out?.length, 1);
  });

  it('split sends each record to the first matching branch, the rest to the default branch', () => {
    const [small, large, other] = run(
      (b) => {
        const branches = b
          .stream<string, string>('in')
          .split({ name: 'size' })
          .branch((_k, v) => v.length < 3, 'small')
          .branch((_k, v) => v.length < 6, 'large')
          .defaultBranch('other');
        branches['size-small']?.to('small');
        branches['size-large']?.to('large');
        branches['size-other']?.to('other');
      },
      [
        ['a', 'ab', 1],
        ['b', 'abcd', 2],
        ['c', 'abcdefgh', 3],
        ['d', 'a', 4],
      ],
      ['small', 'large', 'other'],
    );
    assert.deepEqual(
      small?.map((r) => r[0]),
      ['a', 'd'],
    );
    assert.deepEqual(
      large?.map((r) => r[0]),
      ['b'],
    );
    assert.deepEqual(
      other?.map((r) => r[0]),
      ['c'],
    );
  });

  it('merge interleaves two streams in processing order', () => {
    const b = builder();
    b.stream<string, string>('in').merge(b.stream<string, string>('in2')).to('out');
    const driver = new TopologyTestDriver(b.build());
    driver.createInputTopic('in', S, S).pipeInput('a', '1', 1);
    driver.createInputTopic('in2', S, S).pipeInput('b', '2', 2);
    driver.createInputTopic('in', S, S).pipeInput('c', '3', 3);
    assert.deepEqual(
      driver
        .createOutputTopic('out', S, S)
        .readKeyValuesToList()
        .map((r) => r.key),
      ['a', 'b', 'c'],
    );
    driver.close();
  });

  it('repartition routes records through <application.id>-<name>-repartition and back, in order', () => {
    const b = builder();
    b.stream<string, string>('in')
      .selectKey((_k, v) => v)
      .repartition({ name: 'by-value' })
      .to('out');
    const topology = b.build();
    assert.deepEqual(topology.repartitionTopics(), ['by-value-repartition']);
    assert.equal(topology.physicalTopic('app', 'by-value-repartition'), 'app-by-value-repartition');
    const driver = new TopologyTestDriver(topology, { applicationId: 'app' });
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('a', 'x', 1);
    input.pipeInput(null, 'y', 2);
    input.pipeInput('b', 'z', 3);
    assert.deepEqual(
      driver
        .createOutputTopic('out', S, S)
        .readRecordsToList()
        .map((r) => [r.key, r.value, r.timestamp]),
      [
        ['x', 'x', 1],
        ['y', 'y', 2],
        ['z', 'z', 3],
      ],
    );
    assert.ok(
      !driver.producedTopicNames().includes('app-by-value-repartition'),
      'repartition records are consumed, not output',
    );
    driver.close();
  });

  it('drops records whose new key is null before a repartition topic', () => {
    const [out] = run(
      (b) => {
        b.stream<string, string>('in')
          .selectKey((_k, v) => (v === 'none' ? (null as unknown as string) : v))
          .repartition()
          .to('out');
      },
      [
        ['a', 'none', 1],
        ['b', 'x', 2],
      ],
    );
    assert.deepEqual(out, [['x', 'x', 2]]);
  });

  it('passes tombstones (null values) through stateless operators', () => {
    const [out] = run(
      (b) =>
        b
          .stream<string, string>('in')
          .filter(() => true)
          .to('out'),
      [['a', null, 1]],
    );
    assert.deepEqual(out, [['a', null, 1]]);
  });
});
