import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { Serdes } from '../serde/serde.ts';
import { planTopics } from './internal-topics.ts';

const S = Serdes.String();

function countByParty() {
  const b = new StreamsBuilder({ defaultKeySerde: S, defaultValueSerde: S });
  b.stream<string, string>('votes')
    .groupBy((_k, v) => v, { name: 'by-party' })
    .count({ storeName: 'per-party' })
    .toStream()
    .to('counts', { valueSerde: Serdes.Long() });
  return b.build();
}

describe('internal topic plan', () => {
  it('sizes repartition topics after their writer and changelogs after their task, compacted', () => {
    const plan = planTopics(countByParty(), 'tally', new Map([['votes', 6]]));
    assert.deepEqual(
      plan.internalTopics.map((t) => [
        t.topic,
        t.numPartitions,
        t.configEntries.find((c) => c.name === 'cleanup.policy')?.value,
      ]),
      [
        ['tally-by-party-repartition', 6, 'delete'],
        ['tally-per-party-changelog', 6, 'compact'],
      ],
    );
    assert.deepEqual(
      plan.layout.subtopologies.map((s) => [s.id, s.sourceTopics, s.partitions]),
      [
        [0, ['votes'], 6],
        [1, ['tally-by-party-repartition'], 6],
      ],
    );
  });

  it('names missing source topics', () => {
    assert.throws(() => planTopics(countByParty(), 'tally', new Map()), /source topic votes not found/);
  });

  it('refuses an internal topic left with another partition count', () => {
    assert.throws(
      () =>
        planTopics(
          countByParty(),
          'tally',
          new Map([
            ['votes', 6],
            ['tally-per-party-changelog', 3],
          ]),
        ),
      /tally-per-party-changelog has 3 partitions but tally needs 6/,
    );
  });

  it('gives a repartitioned join input the partition count of the table it joins', () => {
    const b = new StreamsBuilder({ defaultKeySerde: S, defaultValueSerde: S });
    const candidates = b.table<string, string>('candidates');
    b.stream<string, string>('votes')
      .selectKey((_k, v) => v)
      .join(candidates, (v, c) => `${v}/${c}`)
      .to('enriched');
    const plan = planTopics(
      b.build(),
      'tally',
      new Map([
        ['votes', 8],
        ['candidates', 3],
      ]),
    );
    const repartition = plan.internalTopics.find((t) => t.topic.endsWith('-repartition'));
    assert.equal(repartition?.numPartitions, 3);
  });
});
