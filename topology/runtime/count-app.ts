/**
 * The application the runtime's tests run, in-process or as a child process:
 * votes (keyed by vote id) counted by candidate, which repartitions, into the
 * table topic `counts` (string key, int64 value).
 *
 *   node --import tsx topology/runtime/count-app.ts <broker> <applicationId> <processId> <stateDir> [input] [output]
 *
 * As a child it prints `state <STATE>`, `tasks <names>` and `processed <n>` lines and closes cleanly on SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import type { Topology } from '../processor/topology.ts';
import { Serdes } from '../serde/serde.ts';
import type { StreamsConfig } from './config.ts';
import { KafkaStreams } from './kafka-streams.ts';
import type { Vote } from './test-support.ts';

export function countByCandidate(input = 'votes', output = 'counts'): Topology {
  const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String() });
  builder
    .stream<string, Vote>(input, { valueSerde: Serdes.Json<Vote>() })
    .groupBy((_k, v) => v.candidate_id, { name: 'by-candidate', valueSerde: Serdes.Json<Vote>() })
    .count({ storeName: 'votes-per-candidate' })
    .toStream()
    .to(output, { valueSerde: Serdes.Long() });
  return builder.build();
}

export function countApp(
  config: Omit<StreamsConfig, 'applicationId'> & { applicationId?: string },
  input = 'votes',
  output = 'counts',
): KafkaStreams {
  return new KafkaStreams(countByCandidate(input, output), { applicationId: 'counter', ...config });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [broker, applicationId, processId, stateDir, input, output] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  const app = countApp(
    {
      bootstrapServers: [broker],
      applicationId,
      processId,
      stateDir,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
    },
    input,
    output,
  );
  app.onStateChange((state) => process.stdout.write(`state ${state}\n`));
  let reported = '';
  let processed = 0;
  const report = setInterval(() => {
    const metrics = app.metrics();
    const tasks = metrics.tasks.join(',');
    if (tasks !== reported) {
      reported = tasks;
      process.stdout.write(`tasks ${tasks}\n`);
    }
    if (metrics.processedRecords !== processed) {
      processed = metrics.processedRecords;
      process.stdout.write(`processed ${processed}\n`);
    }
  }, 50);
  const stop = () => {
    clearInterval(report);
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.start();
}
