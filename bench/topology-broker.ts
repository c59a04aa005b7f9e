/**
 * Records per second through KafkaStreams and the embedded broker, exactly
 * once (the default), beside a plain loop doing the same work in memory, in
 * the same run: a count by key and a tumbling-window count. The broker runs
 * in a child process, as it would in the stack, so the application has its
 * own core. Records are produced first; the clock runs from start() until
 * every record has been processed and committed.
 *
 *   node --import tsx bench/topology-broker.ts [records=200000] [keys=1000] [partitions=4] [only=count|window]
 *
 * The last argument runs one of the two (for a profile of one path).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Broker } from '../broker/index.ts';
import { createLogger } from '../logging/index.ts';
import {
  KafkaStreams,
  Serdes,
  StreamsBuilder,
  TimeWindows,
  type Topology,
  timeWindowedSerde,
} from '../topology/index.ts';

if (process.argv[2] === '--broker') {
  const broker = await Broker.start({
    host: '127.0.0.1',
    port: 0,
    dataDir: process.argv[3] as string,
    groupInitialRebalanceDelayMs: 0,
    logger: createLogger('broker', { level: 'error' }),
  });
  process.stdout.write(`port ${broker.port}\n`);
  process.once('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
} else {
  await main();
}

interface Vote {
  candidate_id: string;
  cast_at: number;
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 200_000);
  const keys = Number(process.argv[3] ?? 1000);
  const partitions = Number(process.argv[4] ?? 4);
  const only = process.argv[5];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--broker', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /port (\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`the broker exited with ${code}`)));
  });
  const address = `127.0.0.1:${port}`;
  try {
    const kafka = new Kafka({ clientId: 'bench', brokers: [address], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: ['votes', 'counts', 'window-counts'].map((topic) => ({ topic, numPartitions: partitions })),
    });
    await admin.disconnect();

    const inputs = Array.from({ length: records }, (_, i) => ({
      key: Buffer.from(`c${i % keys}`),
      value: Buffer.from(
        JSON.stringify({
          vote_id: `v${i}`,
          candidate_id: `c${i % keys}`,
          polling_station_id: `p${i % 97}`,
          method: 'paper',
          cast_at: 1_700_000_000_000 + i * 10,
        }),
      ),
      timestamp: String(1_700_000_000_000 + i * 10),
    }));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let i = 0; i < records; i += 5000)
      await producer.send({ topic: 'votes', acks: -1, messages: inputs.slice(i, i + 5000) });
    await producer.disconnect();

    const plainStart = performance.now();
    const counts = new Map<string, number>();
    for (const r of inputs) {
      const vote = JSON.parse(r.value.toString('utf8')) as Vote;
      counts.set(vote.candidate_id, (counts.get(vote.candidate_id) ?? 0) + 1);
    }
    const plain = records / ((performance.now() - plainStart) / 1000);
    console.log(`${'plain loop: count by key'.padEnd(40)} ${rate(plain)}`);

    const S = Serdes.String();
    const countTopology = () => {
      const b = new StreamsBuilder({ defaultKeySerde: S });
      b.stream<string, Vote>('votes', { valueSerde: Serdes.Json<Vote>() })
        .groupByKey()
        .count()
        .toStream()
        .to('counts', { valueSerde: Serdes.Long() });
      return b.build();
    };
    const windowTopology = () => {
      const b = new StreamsBuilder({ defaultKeySerde: S });
      b.stream<string, Vote>('votes', { valueSerde: Serdes.Json<Vote>() })
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000))
        .count()
        .toStream()
        .to('window-counts', { keySerde: timeWindowedSerde(S, 60_000), valueSerde: Serdes.Long() });
      return b.build();
    };
    for (const [name, topology] of [
      ['KafkaStreams EOS: count by key', countTopology()],
      ['KafkaStreams EOS: windowed count', windowTopology()],
    ] as const) {
      if (only !== undefined && !name.includes(only)) continue;
      const r = await run(address, name.includes('windowed') ? 'bench-window' : 'bench-count', topology, records);
      console.log(
        `${name.padEnd(40)} ${rate(r.rate)}  (${((r.rate / plain) * 100).toFixed(0)}% of the plain loop, ${r.commits} transactions, ${r.cpuMicros.toFixed(2)} µs of CPU per record)`,
      );
    }
    console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(address: string, applicationId: string, topology: Topology, records: number) {
  const app = new KafkaStreams(topology, { applicationId, bootstrapServers: [address] });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await app.start();
  while (app.metrics().processedRecords < records) {
    if (app.state === 'ERROR') throw app.error;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const { commits } = app.metrics();
  await app.close();
  return { rate: records / (elapsed / 1000), commits, cpuMicros: (cpu.user + cpu.system) / records };
}

function rate(n: number): string {
  return `${Math.round(n).toLocaleString('en').padStart(12)} records/s`;
}
