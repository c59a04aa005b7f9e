import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allTasks, assignTasks, taskName, tasksOf } from './assignment.ts';

const layout = {
  subtopologies: [
    { id: 0, sourceTopics: ['votes', 'candidates'], partitions: 3 },
    { id: 1, sourceTopics: ['app-by-party-repartition'], partitions: 2 },
  ],
};

describe('task assignment', () => {
  it('makes one task per sub-topology and partition, reading every co-partitioned topic of it', () => {
    assert.deepEqual(allTasks(layout).map(taskName), ['0_0', '0_1', '0_2', '1_0', '1_1']);
    assert.deepEqual(tasksOf(layout, { votes: [1], candidates: [1], 'app-by-party-repartition': [0] }).map(taskName), [
      '0_1',
      '1_0',
    ]);
  });

  it('balances tasks over members, within one of each other', () => {
    const tasks = allTasks(layout).map(taskName);
    const out = assignTasks(tasks, [
      { memberId: 'b', previousTasks: [] },
      { memberId: 'a', previousTasks: [] },
    ]);
    assert.deepEqual([...out.values()].map((t) => t.length).sort(), [2, 3]);
    assert.deepEqual(new Set([...out.values()].flat()).size, tasks.length);
  });

  it('keeps tasks where they were when a member joins, moving only what balance needs', () => {
    const tasks = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5'];
    const out = assignTasks(tasks, [
      { memberId: 'a', previousTasks: tasks },
      { memberId: 'b', previousTasks: [] },
    ]);
    assert.deepEqual(out.get('a'), ['0_0', '0_1', '0_2']);
    assert.deepEqual(out.get('b'), ['0_3', '0_4', '0_5']);
    // b leaves: a keeps its three and takes b's.
    const after = assignTasks(tasks, [{ memberId: 'a', previousTasks: out.get('a') ?? [] }]);
    assert.deepEqual(after.get('a'), tasks);
  });
});
