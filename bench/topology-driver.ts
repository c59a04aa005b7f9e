/**
 * Records per second through the topology test driver beside a plain loop
 * doing the same work (parse the JSON value, update a Map), in the same run:
 * a count by key, and a tumbling-window count. Caching is off, as in the
 * driver's default, so every update is also written to the changelog and the
 * output topic.
 *
 *   node --import tsx bench/topology-driver.ts [records=300000] [keys=1000]
 */
import { Serdes, StreamsBuilder, TimeWindows, TopologyTestDriver, timeWindowedSerde } from '../topology/index.ts';

const records = Number(process.argv[2] ?? 300_000);
const keys = Number(process.argv[3] ?? 1000);
const S = Serdes.String();
const L = Serdes.Long();

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

function report(name: string, ms: number, baseline?: number): number {
  const rate = records / (ms / 1000);
  const ratio = baseline === undefined ? '' : `  (${((rate / baseline) * 100).toFixed(0)}% of the plain loop)`;
  console.log(`${name.padEnd(34)} ${Math.round(rate).toLocaleString('en').padStart(12)} records/s${ratio}`);
  return rate;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
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
