import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferedRecordCollector } from './record-collector.ts';

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
