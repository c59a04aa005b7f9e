import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BufferedRecord, PartitionGroup } from './partition-group.ts';

const rec = (offset: number, timestamp: number): BufferedRecord => ({
  offset,
  timestamp,
  key: null,
  value: Buffer.from(String(offset)),
  headers: [],
});

let clock = 0;
/** A fetch sent and received at the next tick of the clock. */
const at = (): [number, number] => {
  clock++;
  return [clock, clock];
};

function drain(group: PartitionGroup): string[] {
  const out: string[] = [];
  for (let n = group.next(); n !== null; n = group.next()) out.push(`${n.topic}@${n.record.offset}`);
  return out;
}

describe('PartitionGroup', () => {
  test('takes the head with the smallest timestamp across partitions', () => {
    const group = new PartitionGroup(
      [
        { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
        { topic: 'voters', partition: 0, offset: 0, endOffset: 0 },
      ],
      clock,
    );
    group.add('votes', 0, [rec(0, 50), rec(1, 70)], 2, 2, ...at());
    group.add('voters', 0, [rec(0, 10), rec(1, 60)], 2, 2, ...at());
    assert.deepEqual(drain(group), ['voters@0', 'votes@0', 'voters@1', 'votes@1']);
  });

  test('does not run a partition ahead while another has records not fetched yet (KIP-695)', () => {
    const group = new PartitionGroup(
      [
        { topic: 'votes', partition: 0, offset: 0, endOffset: 3 },
        { topic: 'voters', partition: 0, offset: 0, endOffset: 2 },
      ],
      clock,
    );
    group.add('votes', 0, [rec(0, 50), rec(1, 51), rec(2, 52)], 3, 3, ...at());
    assert.equal(group.next(), null, 'voters has lag: wait');
    assert.deepEqual(group.committableOffsets(), [
      { topic: 'votes', partition: 0, offset: 0 },
      { topic: 'voters', partition: 0, offset: 0 },
    ]);
    group.add('voters', 0, [rec(0, 5), rec(1, 6)], 2, 2, ...at());
    assert.deepEqual(drain(group), ['voters@0', 'voters@1', 'votes@0', 'votes@1', 'votes@2']);
    assert.deepEqual(group.committableOffsets(), [
      { topic: 'votes', partition: 0, offset: 3 },
      { topic: 'voters', partition: 0, offset: 2 },
    ]);
  });

  test('runs ahead when the empty partition is known to be at the end of its log', () => {
    const group = new PartitionGroup(
      [
        { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
        { topic: 'voters', partition: 0, offset: 4, endOffset: 4 },
      ],
      clock,
    );
    group.add('votes', 0, [rec(0, 50)], 1, 1, ...at());
    assert.equal(group.next(), null, 'what was known of voters is older than the vote');
    assert.deepEqual(group.unconfirmed(), [{ topic: 'voters', partition: 0 }]);
    group.confirm('voters', 0, 4, ++clock);
    assert.deepEqual(group.unconfirmed(), []);
    assert.deepEqual(drain(group), ['votes@0']);
  });

  test('a fresher end that shows records on the broker makes the task wait for them', () => {
    const group = new PartitionGroup(
      [
        { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
        { topic: 'voters', partition: 0, offset: 0, endOffset: 0 },
      ],
      clock,
    );
    group.add('votes', 0, [rec(0, 50)], 1, 1, ...at());
    group.confirm('voters', 0, 2, ++clock);
    assert.equal(group.next(), null);
    assert.deepEqual(group.unconfirmed(), [], 'known, and behind: fetch, do not ask again');
    group.add('voters', 0, [rec(0, 5), rec(1, 6)], 2, 2, ...at());
    assert.deepEqual(drain(group), ['voters@0', 'voters@1', 'votes@0']);
  });

  test('skips records fetched again, and moves past control records', () => {
    const group = new PartitionGroup([{ topic: 't', partition: 1, offset: 0, endOffset: 0 }], clock);
    group.add('t', 1, [rec(0, 1), rec(1, 2)], 2, 3, ...at());
    group.add('t', 1, [rec(0, 1), rec(1, 2)], 2, 3, ...at());
    assert.equal(group.buffered, 2);
    assert.deepEqual(drain(group), ['t@0', 't@1']);
    group.add('t', 1, [], 3, 3, ...at()); // a commit marker only
    assert.deepEqual(group.committableOffsets(), [{ topic: 't', partition: 1, offset: 3 }]);
  });

  test("an end from the same fetch as another partition's records is not fresh enough: the broker read it first", () => {
    const group = new PartitionGroup(
      [
        { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
        { topic: 'voters', partition: 0, offset: 0, endOffset: 0 },
      ],
      clock,
    );
    const sent = ++clock;
    const received = ++clock;
    group.add('votes', 0, [rec(0, 50)], 1, 1, sent, received);
    group.add('voters', 0, [], 0, 0, sent, received);
    assert.equal(group.next(), null);
    assert.deepEqual(group.unconfirmed(), [{ topic: 'voters', partition: 0 }]);
    group.confirm('voters', 0, 0, ++clock);
    assert.deepEqual(drain(group), ['votes@0']);
  });
});
