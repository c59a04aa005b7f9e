/**
 * Records per second through the topology test driver beside a plain loop
 * doing the same work (parse the JSON value, update a Map), in the same run:
 * a count by key, and a tumbling-window count. Caching is off, as in the
 * driver's default, so every update is also written to the changelog and the
 * output topic.
 *
 *   node --import tsx bench/topology-driver.ts [records=300000] [keys=1000]
 *
 * `table [keys=10000000]` instead measures memory: a count by key over that
 * many distinct keys (one row per voter) on the persistent (lmdb) store, run
 * by a StreamTask as KafkaStreams runs it (caching on, 10 MiB, a commit every
 * 10,000 records), with output and changelog records counted and dropped
 * rather than kept (the test driver keeps every record it is sent). It
 * prints the rate and the peak RSS of the process.
 *
 *   node --import tsx bench/topology-driver.ts table [keys=10000000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Serdes,
  StreamsBuilder,
  StreamTask,
  TimeWindows,
  TopologyTestDriver,
  timeWindowedSerde,
} from '../topology/index.ts';

const S = Serdes.String();
const L = Serdes.Long();
if (process.argv[2] === 'table') {
  tableMemory(Number(process.argv[3] ?? 10_000_000));
  process.exit(0);
}
const records = Number(process.argv[2] ?? 300_000);
const keys = Number(process.argv[3] ?? 1000);

interface Vote {
  candidate_id: string;
  cast_at: number;
}

const inputs = Array.from({ length: records }, (_, i) => ({
  key: Buffer.from(`c${i % keys}`),
  value: Buffer.from(
    JSON.stringify({
      vote_id: `v${i}`,
      candidate_id: `c${i % keys}`,
      polling_station_id: `p${i % 97}`,
      method: 'paper',
      cast_at: i * 10,
    }),
  ),
  timestamp: i * 10,
}));

/** Prints the rate and CPU per record beside the baseline's (CPU time is steadier than wall clock on a shared machine). */
function report(name: string, t: Timing, baseline?: Timing): Timing {
  const rate = records / (t.ms / 1000);
  const perRecord = `${(t.cpuMicros / records).toFixed(2)} µs of CPU per record`;
  const ratio =
    baseline === undefined
      ? ''
      : `  (${((baseline.ms / t.ms) * 100).toFixed(0)}% of the plain loop, ${((baseline.cpuMicros / t.cpuMicros) * 100).toFixed(0)}% by CPU)`;
  console.log(
    `${name.padEnd(34)} ${Math.round(rate).toLocaleString('en').padStart(12)} records/s, ${perRecord}${ratio}`,
  );
  return t;
}

interface Timing {
  ms: number;
  cpuMicros: number;
}

function time(fn: () => void): Timing {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(cpuStart);
  return { ms: performance.now() - start, cpuMicros: cpu.user + cpu.system };
}

// Count by key.
const plainCount = time(() => {
  const counts = new Map<string, number>();
  for (const r of inputs) {
    const vote = JSON.parse(r.value.toString('utf8')) as Vote;
    counts.set(vote.candidate_id, (counts.get(vote.candidate_id) ?? 0) + 1);
  }
});
const baseCount = report('plain loop: count by key', plainCount);

{
  const b = new StreamsBuilder();
  b.stream<string, Vote>('votes', { keySerde: S, valueSerde: Serdes.Json<Vote>() })
    .groupByKey()
    .count()
    .toStream()
    .to('counts', { keySerde: S, valueSerde: L });
  const driver = new TopologyTestDriver(b.build());
  const ms = time(() => {
    for (const r of inputs) driver.pipeRaw('votes', r.key, r.value, r.timestamp);
  });
  report('driver: count by key', ms, baseCount);
  driver.close();
}

// Tumbling one-minute windows.
const plainWindow = time(() => {
  const counts = new Map<string, number>();
  for (const r of inputs) {
    const vote = JSON.parse(r.value.toString('utf8')) as Vote;
    const start = Math.floor(vote.cast_at / 60_000) * 60_000;
    const id = `${vote.candidate_id}@${start}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
});
const baseWindow = report('plain loop: windowed count', plainWindow);

{
  const b = new StreamsBuilder();
  b.stream<string, Vote>('votes', { keySerde: S, valueSerde: Serdes.Json<Vote>() })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 10_000))
    .count()
    .toStream()
    .to('counts', { keySerde: timeWindowedSerde(S, 60_000), valueSerde: L });
  const driver = new TopologyTestDriver(b.build());
  const ms = time(() => {
    for (const r of inputs) driver.pipeRaw('votes', r.key, r.value, r.timestamp);
  });
  report('driver: windowed count', ms, baseWindow);
  driver.close();
}

/** Count by key over `keys` distinct keys on lmdb; prints records/s and peak RSS. */
function tableMemory(keys: number): void {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-table-'));
  const b = new StreamsBuilder();
  b.stream<string, Vote>('voters', { keySerde: S, valueSerde: Serdes.Json<Vote>() })
    .groupByKey()
    .count({ storeName: 'votes-per-voter', persistent: true })
    .toStream()
    .to('counts', { keySerde: S, valueSerde: L });
  let sent = 0;
  let logged = 0;
  const task = new StreamTask(b.build(), {
    applicationId: 'bench-table',
    taskId: '0_0',
    partition: 0,
    stateDir,
    caching: true,
    cacheMaxBytes: 10 * 1024 * 1024,
    collector: { send: () => void sent++, partitionsFor: () => 1 },
    changelog: { log: () => void logged++ },
    processingLog: (entry) => {
      throw new Error(`record skipped: ${entry.reason}`);
    },
    clock: () => Date.now(),
  });
  task.initializeStores();
  task.initializeProcessors();
  const start = performance.now();
  try {
    for (let i = 0; i < keys; i++) {
      const id = `voter-${i}`;
      const value = Buffer.from(JSON.stringify({ voter_id: id, candidate_id: `c${i % 1000}`, cast_at: i }));
      task.process('voters', 0, i, i, [], Buffer.from(id), value);
      if (i % 10_000 === 9_999) task.commit();
      if (i % 1_000_000 === 999_999) {
        const rss = process.memoryUsage().rss / 2 ** 20;
        console.log(`  ${(i + 1).toLocaleString('en')} keys, RSS ${rss.toFixed(0)} MiB`);
      }
    }
    task.commit();
    const rate = keys / ((performance.now() - start) / 1000);
    const storeBytes = folderBytes(stateDir);
    task.close();
    console.log(
      `table of ${keys.toLocaleString('en')} keys on lmdb: ${Math.round(rate).toLocaleString('en')} records/s, ` +
        `${sent.toLocaleString('en')} output and ${logged.toLocaleString('en')} changelog records, ` +
        `store ${(storeBytes / 2 ** 20).toFixed(0)} MiB on disk`,
    );
    console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  return total;
}
