/** sendTopic against an in-memory sink: batching, order, pacing and stopping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutgoingRecord, RecordSink } from './kafka/index.ts';
import { Pacer } from './pacing.ts';
import { sendTopic } from './produce.ts';
import type { TopicRecords } from './topic-records.ts';

class MemorySink implements RecordSink {
  writes: { topic: string; records: OutgoingRecord[]; at: number }[] = [];
  async write(topic: string, records: readonly OutgoingRecord[]) {
    this.writes.push({ topic, records: [...records], at: performance.now() });
  }
  async flush() {}
  async close() {}
  get records() {
    return this.writes.flatMap((w) => w.records);
  }
}

function source(count: number, spacingMs = 0): TopicRecords {
  return {
    topic: 'votes',
    total: count,
    *records() {
      for (let i = 0; i < count; i++) yield { key: `k${i % 7}`, value: `v${i}`, timestamp: 1_000 + i * spacingMs };
    },
  };
}

test('backfill sends every record in order, in batches of the size asked', async () => {
  const sink = new MemorySink();
  const sent = await sendTopic(source(2_500), sink, { pacer: new Pacer({ kind: 'backfill' }), batchSize: 1_000 });
  assert.equal(sent, 2_500);
  assert.deepEqual(
    sink.writes.map((w) => w.records.length),
    [1_000, 1_000, 500],
  );
  assert.deepEqual(
    sink.records.map((r) => r.value),
    Array.from({ length: 2_500 }, (_, i) => `v${i}`),
  );
  assert.ok(sink.writes.every((w) => w.topic === 'votes'));
});

test('a rate spreads the records over time', async () => {
  const sink = new MemorySink();
  const started = performance.now();
  await sendTopic(source(60), sink, { pacer: new Pacer({ kind: 'rate', perSecond: 200 }), batchSize: 1_000 });
  const elapsed = performance.now() - started;
  assert.equal(sink.records.length, 60);
  // 60 records at 200/s: the last is due after 295 ms.
  assert.ok(elapsed >= 280, `took ${elapsed} ms`);
  assert.ok(sink.writes.length > 5, 'sent as records fell due, not at once');
});

test('a speed factor replays event time', async () => {
  const sink = new MemorySink();
  const started = performance.now();
  // Records 10 s of event time apart, at 100x: 100 ms apart.
  await sendTopic(source(4, 10_000), sink, {
    pacer: new Pacer({ kind: 'speed', factor: 100, origin: 1_000 }),
    batchSize: 1_000,
  });
  assert.equal(sink.writes.length, 4);
  const last = sink.writes.at(-1)?.at ?? 0;
  assert.ok(last - started >= 290, `last write after ${last - started} ms`);
});

test('a stop signal ends the topic early and reports what was written', async () => {
  const sink = new MemorySink();
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 150);
  const sent = await sendTopic(source(1_000), sink, {
    pacer: new Pacer({ kind: 'rate', perSecond: 100 }),
    batchSize: 1_000,
    signal: stop.signal,
  });
  assert.ok(sent > 5 && sent < 40, `${sent} sent`);
  assert.equal(sent, sink.records.length);
});
