import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferedRecordCollector, SEND_RECORDS_PER_TOPIC } from './record-collector.ts';

test('a commit goes out in sends under the size limit, in the order the records were collected', () => {
  const collector = new BufferedRecordCollector(() => 1);
  const value = Buffer.alloc(100);
  for (let i = 0; i < 25; i++) collector.send('out', Buffer.from(`k${i}`), value, i, [], 0);
  collector.log('changelog', 0, Buffer.from('k'), value, 0);
  const sends = collector.drain(1_000);
  assert.ok(sends.length > 1, 'split');
  for (const send of sends) {
    const bytes = send.flatMap((t) => t.messages).reduce((n, m) => n + (m.value as Buffer).length + 24 + 3, 0);
    assert.ok(bytes <= 1_000, `a send of ${bytes} bytes`);
  }
  const keys = sends.flatMap((s) =>
    s.filter((t) => t.topic === 'out').flatMap((t) => t.messages.map((m) => String(m.key))),
  );
  assert.deepEqual(
    keys,
    Array.from({ length: 25 }, (_, i) => `k${i}`),
  );
  assert.equal(sends.flat().filter((t) => t.topic === 'changelog').length, 1);
  assert.deepEqual(collector.drain(), [], 'drained');
});

test('each send takes the next records of every topic, at most SEND_RECORDS_PER_TOPIC per topic', () => {
  const collector = new BufferedRecordCollector(() => 1);
  const value = Buffer.alloc(8);
  for (let i = 0; i < 1_500; i++) {
    collector.log('changelog', 0, Buffer.from(`k${i}`), value, i);
    collector.send('out', Buffer.from(`k${i}`), value, i, [], 0);
  }
  collector.log('other-changelog', 0, Buffer.from('x'), value, 0);
  const sends = collector.drain();
  const n = SEND_RECORDS_PER_TOPIC;
  assert.deepEqual(
    sends.map((send) => send.map((t) => `${t.topic}:${t.messages.length}`)),
    [
      [`changelog:${n}`, `out:${n}`, 'other-changelog:1'],
      ...Array.from({ length: Math.ceil(1_500 / n) - 1 }, (_, i) => {
        const size = Math.min(n, 1_500 - (i + 1) * n);
        return [`changelog:${size}`, `out:${size}`];
      }),
    ],
  );
  for (const topic of ['changelog', 'out']) {
    const keys = sends.flatMap((s) =>
      s.filter((t) => t.topic === topic).flatMap((t) => t.messages.map((m) => String(m.key))),
    );
    assert.deepEqual(
      keys,
      Array.from({ length: 1_500 }, (_, i) => `k${i}`),
      `${topic} in order`,
    );
  }
});
