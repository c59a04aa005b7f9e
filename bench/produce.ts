/**
 * Votes generated and produced per second with each Kafka client, as fast
 * as possible, beside a baseline of generation alone in the same run, and
 * the CPU time the producer (all its threads) and the broker used meanwhile:
 * on a shared machine the CPU figures move less than the rates. The votes
 * are placed on partitions as `tally produce` places them. Prints figures;
 * asserts nothing.
 *
 *   node --import tsx bench/produce.ts [voters=1000000] [partitions=6]
 *
 * Uses KAFKA_BROKERS when set; otherwise starts an embedded broker (`tally
 * broker`, in its own process so that it does not share the producer's event
 * loop) in a temporary folder, and stops it at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { createElection } from '../producers/index.ts';
import { connectAdmin, connectSink, KAFKA_CLIENTS, type KafkaClientName } from '../producers/kafka/index.ts';
import { KafkajsSink } from '../producers/kafka/kafkajs-sink.ts';
import { KafkajsThreadedSink } from '../producers/kafka/kafkajs-threaded-sink.ts';
import { Pacer } from '../producers/pacing.ts';
import { placeRecords } from '../producers/placement.ts';
import { DEFAULT_BATCH_SIZE, sendTopic } from '../producers/produce.ts';
import { topicRecords } from '../producers/topic-records.ts';
import { startBrokerProcess } from './support/broker-process.ts';

const voters = Number(process.argv[2] ?? 1_000_000);
const partitions = Number(process.argv[3] ?? 6);
/**
 * BENCH_CLIENTS=kafkajs,confluent, BENCH_BATCH_SIZE=5000 and BENCH_KAFKAJS_THREADS=2 narrow or tune a run
 * (0 threads: kafkajs in the generating thread, as KafkajsSink alone).
 */
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? DEFAULT_BATCH_SIZE);
const kafkajsThreads = process.env.BENCH_KAFKAJS_THREADS ? Number(process.env.BENCH_KAFKAJS_THREADS) : undefined;
const logger = createLogger('bench', { level: 'error' });

function report(name: string, records: number, ms: number): void {
  const perSecond = Math.round((records * 1000) / ms);
  console.log(
    `${name.padEnd(34)} ${perSecond.toLocaleString('en').padStart(10)} votes/s  (${records.toLocaleString('en')} in ${(ms / 1000).toFixed(2)} s)`,
  );
}

/**
 * CPU seconds (user + system) a process, or one of its threads, has used so
 * far, from /proc; 0 where there is none. A process's main thread has the
 * process's id: the rest of the producer's CPU is its clients' own threads.
 */
function processCpuSeconds(pid: number | undefined, thread?: number): number {
  if (pid === undefined) return 0;
  const stat = `/proc/${pid}${thread === undefined ? '' : `/task/${thread}`}/stat`;
  if (!fs.existsSync(stat)) return 0;
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = fs.readFileSync(stat, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
const perVote = (seconds: number, votes: number) => `${((seconds * 1e6) / Math.max(1, votes)).toFixed(2)} µs a vote`;

const broker = process.env.KAFKA_BROKERS ? undefined : await startBrokerProcess('produce');
try {
  const brokers = process.env.KAFKA_BROKERS ?? broker!.address;
  const kafka = { ...loadConfig({ env: { ...process.env, KAFKA_BROKERS: brokers } }).kafka, clientId: 'tally-bench' };

  const election = createElection({ scenario: 'national', seed: 1, overrides: { voters } });
  const planStart = performance.now();
  const total = election.voteRecordCount;
  console.log(
    `national scenario, ${voters.toLocaleString('en')} voters: ${total.toLocaleString('en')} vote records ` +
      `(day planned in ${((performance.now() - planStart) / 1000).toFixed(1)} s); broker ${brokers}${broker ? ' (embedded, own process)' : ''}; ` +
      `${partitions} partitions; batches of ${batchSize.toLocaleString('en')}; ${os.cpus().length} cores`,
  );

  // Baseline: generate and serialise the records as the producers do (topic-records.ts), send nowhere.
  let start = performance.now();
  let cpuBefore = process.cpuUsage();
  let bytes = 0;
  for (const record of topicRecords(election, 'votes').records()) bytes += record.value.length;
  report('generation alone (baseline)', total, performance.now() - start);
  console.log(
    `${''.padEnd(34)} CPU: ${perVote(cpuSeconds(process.cpuUsage(cpuBefore)), total)}; ${(bytes / total).toFixed(0)} bytes a vote value`,
  );

  const clients = (process.env.BENCH_CLIENTS?.split(',') ?? KAFKA_CLIENTS) as KafkaClientName[];
  for (const client of clients) {
    const topic = `bench-votes-${client}-${Date.now()}`;
    const admin = await connectAdmin(client, kafka, logger);
    await admin.createTopics([{ name: topic, partitions, configs: { 'retention.ms': '-1' } }]);
    await admin.close();
    const sink =
      client !== 'kafkajs' || kafkajsThreads === undefined
        ? await connectSink(client, kafka, logger)
        : kafkajsThreads === 0
          ? await KafkajsSink.connect(kafka, logger)
          : await KafkajsThreadedSink.connect(kafka, logger, { threads: kafkajsThreads });
    // Placed as `tally produce` places them (placement.ts), so that a stopped run can resume.
    const source = placeRecords({ ...topicRecords(election, 'votes'), topic }, partitions);
    start = performance.now();
    cpuBefore = process.cpuUsage();
    const mainCpuBefore = processCpuSeconds(process.pid, process.pid);
    const brokerCpuBefore = processCpuSeconds(broker?.child.pid);
    const sent = await sendTopic(source, sink, { pacer: new Pacer({ kind: 'backfill' }), batchSize });
    await sink.flush();
    const ms = performance.now() - start;
    report(`generated + produced, ${client}`, sent, ms);
    const cpu = cpuSeconds(process.cpuUsage(cpuBefore));
    const mainCpu = processCpuSeconds(process.pid, process.pid) - mainCpuBefore;
    console.log(
      `${''.padEnd(34)} CPU: producer ${cpu.toFixed(2)} s (${perVote(cpu, sent)}; its main thread ${perVote(mainCpu, sent)}), ` +
        `broker ${broker ? `${(processCpuSeconds(broker.child.pid) - brokerCpuBefore).toFixed(2)} s` : 'not measured'} ` +
        `in ${(ms / 1000).toFixed(2)} s`,
    );
    await sink.close();
  }
} finally {
  await broker?.stop();
}
