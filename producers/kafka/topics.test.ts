import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../config/index.ts';
import { planTopics } from './topics.ts';

const ALL = ['candidates', 'voters', 'votes'] as const;

test('creates every missing topic with the partition count asked for, retention unlimited', () => {
  const specs = planTopics({ topics: ALL, partitions: 6, chosen: false }, new Map());
  assert.deepEqual(
    specs.map((s) => [s.name, s.partitions]),
    [
      ['candidates', 6],
      ['voters', 6],
      ['votes', 6],
    ],
  );
  for (const spec of specs) assert.equal(spec.configs['retention.ms'], '-1');
  assert.equal(specs.find((s) => s.name === 'voters')?.configs['cleanup.policy'], 'compact');
  assert.equal(specs.find((s) => s.name === 'votes')?.configs['cleanup.policy'], 'delete');
});

test('keeps existing topics and gives a missing votes topic the partition count of voters', () => {
  const specs = planTopics({ topics: ['votes'], partitions: 6, chosen: false }, new Map([['voters', 3]]));
  assert.deepEqual(
    specs.map((s) => [s.name, s.partitions]),
    [['votes', 3]],
  );
  assert.deepEqual(planTopics({ topics: ALL, partitions: 6, chosen: false }, new Map(ALL.map((t) => [t, 2]))), []);
});

test('refuses a chosen partition count that differs from an existing topic or its join partner', () => {
  assert.throws(
    () => planTopics({ topics: ['votes'], partitions: 6, chosen: true }, new Map([['votes', 3]])),
    (error: Error) => error instanceof UserError && /votes exists with 3 partitions, not the 6/.test(error.message),
  );
  assert.throws(
    () => planTopics({ topics: ['votes'], partitions: 6, chosen: true }, new Map([['voters', 3]])),
    (error: Error) =>
      error instanceof UserError && /votes would get 6 partitions but its join partner has 3/.test(error.message),
  );
});

test('refuses voters and votes that already differ in partitions', () => {
  assert.throws(
    () =>
      planTopics(
        { topics: ['votes'], partitions: 6, chosen: false },
        new Map([
          ['voters', 3],
          ['votes', 6],
        ]),
      ),
    (error: Error) => error instanceof UserError && /ksqlDB cannot join them/.test(error.message),
  );
});
