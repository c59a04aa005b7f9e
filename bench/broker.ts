/**
 * The embedded broker's throughput and latency with real clients, beside a
 * baseline measured in the same run: raw loopback TCP. Prints figures;
 * asserts nothing.
 *
 *   node --import tsx bench/broker.ts [messages=1000000]
 *
 * - produce and consume, 200-byte messages, batched: kcat (librdkafka in C),
 *   @confluentinc/kafka-javascript's native API (librdkafka behind a
 *   JavaScript binding) and kafkajs, messages/s and MB/s;
 * - acks=all produce latency under a steady 20 MB/s load, p50 / p99;
 * - the broker's peak resident memory beside the size of its log on disk.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { type BrokerProcess, folderBytes, startBrokerProcess } from './support/broker-process.ts';

const require = createRequire(import.meta.url);
const rdkafka = require('@confluentinc/kafka-javascript');

const MESSAGES = Number(process.argv[2] ?? 1_000_000);
const LOAD_SCRIPT = path.join(import.meta.dirname, 'support', 'steady-producer.ts');
const SIZE = 200;
const payload = Buffer.alloc(SIZE, 'v');
const MB = 1024 * 1024;

function line(name: string, messages: number, bytes: number, ms: number, note = ''): void {
  const seconds = ms / 1000;
  const rate = Math.round(messages / seconds).toLocaleString('en');
  console.log(
    `${name.padEnd(40)} ${rate.padStart(11)} msg/s ${(bytes / MB / seconds).toFixed(1).padStart(8)} MB/s${note ? `  ${note}` : ''}`,
  );
}

/** Raw loopback TCP: one client writing 64 KiB chunks to a server that discards them. */
async function loopbackBaseline(totalBytes: number): Promise<void> {
  let received = 0;
  const done = new Promise<void>((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('data', (chunk) => {
        received += chunk.length;
        if (received >= totalBytes) {
          socket.destroy();
          server.close();
          resolve();
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect(port, '127.0.0.1', async () => {
        const chunk = Buffer.alloc(64 * 1024, 'x');
        for (let sent = 0; sent < totalBytes; sent += chunk.length) {
          if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
        }
      });
      client.on('error', () => {});
    });
  });
  const start = performance.now();
  await done;
  line('baseline: raw loopback TCP', totalBytes / SIZE, totalBytes, performance.now() - start);
}

async function librdkafkaProduce(broker: BrokerProcess, topic: string): Promise<void> {
  const producer = new rdkafka.Producer({
    'metadata.broker.list': broker.address,
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 5,
    'batch.size': 1_000_000,
    'batch.num.messages': 100_000,
    'queue.buffering.max.messages': 1_000_000,
    'queue.buffering.max.kbytes': 1_048_576,
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (e: Error | null) => (e ? reject(e) : resolve())));
  producer.setPollInterval(50);
  const start = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    for (;;) {
      try {
        producer.produce(topic, i % 6, payload, null);
        break;
      } catch {
        // Local queue full: let deliveries drain.
        await sleep(1);
      }
    }
  }
  await new Promise<void>((resolve, reject) =>
    producer.flush(60_000, (e: Error | null) => (e ? reject(e) : resolve())),
  );
  line('produce, librdkafka JS binding (acks=all)', MESSAGES, MESSAGES * SIZE, performance.now() - start);
  await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
}

async function librdkafkaConsume(broker: BrokerProcess, topic: string, expected: number): Promise<void> {
  const consumer = new rdkafka.KafkaConsumer(
    {
      'metadata.broker.list': broker.address,
      'group.id': 'bench',
      'enable.auto.commit': false,
      'fetch.max.bytes': 52_428_800,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (e: Error | null) => (e ? reject(e) : resolve())));
  consumer.assign(Array.from({ length: 6 }, (_, partition) => ({ topic, partition, offset: 0 })));
  let count = 0;
  let bytes = 0;
  const start = performance.now();
  while (count < expected) {
    const batch: { value: Buffer }[] = await new Promise((resolve, reject) =>
      consumer.consume(10_000, (e: Error | null, messages: { value: Buffer }[]) => (e ? reject(e) : resolve(messages))),
    );
    count += batch.length;
    for (const m of batch) bytes += m.value.length;
  }
  line('consume, librdkafka JS binding', count, bytes, performance.now() - start);
  await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
}

async function kafkajsProduceAndConsume(broker: BrokerProcess, topic: string, messages: number): Promise<void> {
  const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const batch = 5_000;
  let start = performance.now();
  for (let sent = 0; sent < messages; sent += batch) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: batch }, (_, i) => ({ value: payload, partition: (sent + i) % 6 })),
    });
  }
  line('produce, kafkajs (acks=all, idempotent)', messages, messages * SIZE, performance.now() - start);
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'bench-kafkajs', maxBytes: 50 * MB, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let bytes = 0;
  const finished = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch: b }) => {
        if (count === 0) start = performance.now();
        count += b.messages.length;
        for (const m of b.messages) bytes += m.value?.length ?? 0;
        if (count >= messages) resolve();
      },
    });
  });
  await finished;
  line('consume, kafkajs (from the first batch)', count, bytes, performance.now() - start);
  await consumer.disconnect();
}

/**
 * acks=all latency under a steady 20 MB/s load: a second process produces
 * the load, while a probe here sends 1,000 messages/s and times each from
 * produce() to its delivery report (so the probe's own work stays small).
 */
async function librdkafkaLatency(broker: BrokerProcess): Promise<void> {
  const seconds = 6;
  const load = spawn(
    process.execPath,
    ['--import', 'tsx', LOAD_SCRIPT, broker.address, 'latency-load', '20', String(seconds)],
    {
      stdio: 'ignore',
    },
  );
  const producer = new rdkafka.Producer({
    'metadata.broker.list': broker.address,
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 0,
    dr_cb: true,
  });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  producer.on('delivery-report', (_e: Error | undefined, report: { opaque: number }) => {
    const at = sentAt.get(report.opaque);
    if (at !== undefined) latencies.push(performance.now() - at);
    sentAt.delete(report.opaque);
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (e: Error | null) => (e ? reject(e) : resolve())));
  producer.setPollInterval(1);
  await sleep(1000); // the load reaches its rate
  const start = performance.now();
  for (let sent = 0; performance.now() - start < (seconds - 2) * 1000; sent++) {
    sentAt.set(sent, performance.now());
    producer.produce('latency', sent % 6, payload, null, Date.now(), sent);
    await sleep(1);
  }
  await new Promise<void>((resolve) => producer.flush(30_000, () => resolve()));
  await new Promise((resolve) => (load.exitCode !== null ? resolve(null) : load.once('exit', resolve)));
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
  console.log(
    `${'acks=all latency under 20 MB/s of load'.padEnd(40)} p50 ${pct(0.5)} ms  p99 ${pct(0.99)} ms  (${latencies.length.toLocaleString('en')} probes, librdkafka)`,
  );
  await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
}

/** kcat (librdkafka in C, no JavaScript binding in the way): produce and consume the same messages. */
async function kcatThroughput(broker: BrokerProcess): Promise<void> {
  const file = path.join(broker.dataDir, '..', `tally-bench-messages-${process.pid}.txt`);
  // One message a line, written in blocks: the whole file may be larger than a string can be.
  const oneLine = Buffer.concat([payload.subarray(0, SIZE - 1), Buffer.from('\n')]);
  const block = Buffer.concat(Array.from({ length: 10_000 }, () => oneLine));
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < MESSAGES; written += 10_000) {
    fs.writeSync(fd, block, 0, Math.min(10_000, MESSAGES - written) * SIZE);
  }
  fs.closeSync(fd);
  try {
    let start = performance.now();
    await runKcat(
      [
        '-b',
        broker.address,
        '-P',
        '-t',
        'kcat',
        '-X',
        'linger.ms=5',
        '-X',
        'batch.num.messages=100000',
        '-X',
        'enable.idempotence=true',
      ],
      file,
    );
    line('produce, kcat (librdkafka in C)', MESSAGES, MESSAGES * SIZE, performance.now() - start);
    start = performance.now();
    const consumed = await runKcat([
      '-b',
      broker.address,
      '-C',
      '-t',
      'kcat',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '.',
      '-X',
      'fetch.max.bytes=52428800',
    ]);
    line('consume, kcat (librdkafka in C)', consumed, consumed * SIZE, performance.now() - start);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Runs kcat with a file on stdin; resolves with the number of bytes it printed. */
function runKcat(args: string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: [input ? fs.openSync(input, 'r') : 'ignore', 'pipe', 'inherit'] });
    let printed = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.length;
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(printed) : reject(new Error(`kcat exited with ${code}`))));
  });
}

console.log(
  `Broker benchmark: ${MESSAGES.toLocaleString('en')} messages of ${SIZE} bytes, 6 partitions, broker in its own process\n`,
);
await loopbackBaseline(MESSAGES * SIZE);
const broker = await startBrokerProcess('broker');
let peakRss = broker.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, broker.rss());
}, 100);
try {
  const admin = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['throughput', 'throughput-kafkajs', 'kcat', 'latency', 'latency-load'].map((topic) => ({
      topic,
      numPartitions: 6,
    })),
  });
  await admin.disconnect();
  await kcatThroughput(broker);
  await librdkafkaProduce(broker, 'throughput');
  await librdkafkaConsume(broker, 'throughput', MESSAGES);
  await kafkajsProduceAndConsume(broker, 'throughput-kafkajs', Math.min(MESSAGES, 300_000));
  await librdkafkaLatency(broker);
  clearInterval(sampler);
  console.log(
    `${'broker memory'.padEnd(40)} peak RSS ${(peakRss / MB).toFixed(0)} MB with ${(folderBytes(broker.dataDir) / MB).toFixed(0)} MB of log on disk`,
  );
} finally {
  clearInterval(sampler);
  await broker.stop();
}
