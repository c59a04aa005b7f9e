/**
 * A background load for latency measurements: produces 200-byte messages at
 * a steady rate with librdkafka, in its own process, for a while.
 *
 *   node --import tsx bench/support/steady-producer.ts <brokers> <topic> <MB/s> <seconds>
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const rdkafka = require('@confluentinc/kafka-javascript');
const [address, topic, rate, seconds] = process.argv.slice(2);
const payload = Buffer.alloc(200, 'l');
const perMs = (Number(rate) * 1024 * 1024) / payload.length / 1000;

const producer = new rdkafka.Producer({
  'metadata.broker.list': address,
  'enable.idempotence': true,
  acks: -1,
  'linger.ms': 2,
  'queue.buffering.max.messages': 1_000_000,
});
await new Promise<void>((resolve, reject) => producer.connect({}, (e: Error | null) => (e ? reject(e) : resolve())));
producer.setPollInterval(100);
const start = performance.now();
let sent = 0;
while (performance.now() - start < Number(seconds) * 1000) {
  for (const due = Math.floor((performance.now() - start) * perMs); sent < due; sent++) {
    producer.produce(topic, sent % 6, payload, null);
  }
  await sleep(1);
}
await new Promise<void>((resolve) => producer.flush(30_000, () => resolve()));
await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
