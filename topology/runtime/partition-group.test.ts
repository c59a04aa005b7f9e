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

function drain(group: PartitionGroup): string[] {
  const out: string[] = [];
  for (let n = group.next(); n !== null; n = group.next()) out.push(`${n.topic}@${n.record.offset}`);
  return out;
}

describe('PartitionGroup', () => {
  test('takes the head with the smallest timestamp across partitions', () => {
    const group = new PartitionGroup([
      { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
      { topic: 'voters', partition: 0, offset: 0, endOffset: 0 },
    ]);
    group.add('votes', 0, [rec(0, 50), rec(1, 70)], 2, 2);
    group.add('voters', 0, [rec(0, 10), rec(1, 60)], 2, 2);
    assert.deepEqual(drain(group), ['voters@0', 'votes@0', 'voters@1', 'votes@1']);
  });

  test('does not run a partition ahead while another has records not fetched yet (KIP-695)', () => {
    const group = new PartitionGroup([
      { topic: 'votes', partition: 0, offset: 0, endOffset: 3 },
      { topic: 'voters', partition: 0, offset: 0, endOffset: 2 },
    ]);
    group.add('votes', 0, [rec(0, 50), rec(1, 51), rec(2, 52)], 3, 3);
    assert.equal(group.next(), null, 'voters has lag: wait');
    assert.deepEqual(group.committableOffsets(), [
      { topic: 'votes', partition: 0, offset: 0 },
      { topic: 'voters', partition: 0, offset: 0 },
    ]);
    group.add('voters', 0, [rec(0, 5), rec(1, 6)], 2, 2);
    assert.deepEqual(drain(group), ['voters@0', 'voters@1', 'votes@0', 'votes@1', 'votes@2']);
    assert.deepEqual(group.committableOffsets(), [
      { topic: 'votes', partition: 0, offset: 3 },
      { topic: 'voters', partition: 0, offset: 2 },
    ]);
  });

  test('runs ahead when the empty partition is known to be at the end of its log', () => {
    const group = new PartitionGroup([
      { topic: 'votes', partition: 0, offset: 0, endOffset: 0 },
      { topic: 'voters', partition: 0, offset: 4, endOffset: 4 },
    ]);
    group.add('votes', 0, [rec(0, 50)], 1, 1);
    assert.deepEqual(drain(group), ['votes@0']);
  });

  test('skips records fetched again, and moves past control records', () => {
    const group = new PartitionGroup([{ topic: 't', partition: 1, offset: 0, endOffset: 0 }]);
    group.add('t', 1, [rec(0, 1), rec(1, 2)], 2, 3);
    group.add('t', 1, [rec(0, 1), rec(1, 2)], 2, 3);
    assert.equal(group.buffered, 2);
    assert.deepEqual(drain(group), ['t@0', 't@1']);
    group.add('t', 1, [], 3, 3); // a commit marker only
    assert.deepEqual(group.committableOffsets(), [{ topic: 't', partition: 1, offset: 3 }]);
  });
});
