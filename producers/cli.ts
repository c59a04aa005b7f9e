/**
 * `tally produce election|<topic>`: sends a seeded election
 * to Kafka, as fast as possible (backfill) or in real time (--rate, --speed).
 * Ctrl-C stops after flushing what was sent; a second Ctrl-C exits at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { configOptions, loadConfig, UserError } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { createElection, type Election } from './election.ts';
import {
  DEFAULT_PARTITIONS,
  ELECTION_TOPICS,
  type ElectionTopic,
  KAFKA_CLIENTS,
  type KafkaClientName,
} from './kafka/index.ts';
import { describePace, type Pace } from './pacing.ts';
import { produceElection } from './produce.ts';
import { createProgress } from './progress.ts';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios.ts';

export const PRODUCE_TARGETS = ['election', ...ELECTION_TOPICS] as const;
type Target = (typeof PRODUCE_TARGETS)[number];

/** A whole election is every topic, places and candidates first: votes refer to them. */
const topicsOf = (what: Target): ElectionTopic[] => (what === 'election' ? [...ELECTION_TOPICS] : [what]);

interface ProduceFlags {
  what: Target;
  seed: number;
  scenario: ScenarioName;
  voters?: number;
  rate?: number;
  speed?: number;
  client: KafkaClientName;
  truth?: string;
  partitions?: number;
  resume: boolean;
}

function builder(y: Argv) {
  return y
    .positional('what', { choices: PRODUCE_TARGETS, describe: 'the whole election, or one topic' })
    .options({
      ...configOptions(),
      seed: { type: 'number', default: 1, describe: 'any 32-bit integer: the same seed gives the same election' },
      scenario: {
        choices: SCENARIO_NAMES,
        default: 'small' as ScenarioName,
        describe: 'size and shape of the election',
      },
      voters: { type: 'number', describe: "registered voters (default: the scenario's)" },
      rate: { type: 'number', describe: 'real time: records a second (votes, in an election)' },
      speed: {
        type: 'number',
        describe: 'real time: replay polling day by cast_at, this many times faster (60: 15 hours in 15 minutes)',
      },
      client: {
        choices: KAFKA_CLIENTS,
        default: 'kafkajs' as KafkaClientName,
        describe: 'kafkajs, or confluent (@confluentinc/kafka-javascript)',
      },
      partitions: { type: 'number', describe: `partitions of new topics (default ${DEFAULT_PARTITIONS})` },
      truth: { type: 'string', describe: 'write the ground truth (what every metric must show) to this JSON file' },
      resume: {
        type: 'boolean',
        default: false,
        describe: 'go on where a stopped run of the same election stopped: skip the records already in Kafka',
      },
    })
    .conflicts('rate', 'speed')
    .check((argv) => {
      // A string (not a thrown error) is a usage failure: yargs prints it after the help, without a stack.
      const problems = flagProblems(argv as unknown as ProduceFlags);
      return problems.length > 0 ? problems.join('\n') : true;
    });
}

/** Each bad flag, by name, with what it takes. */
export function flagProblems(flags: ProduceFlags): string[] {
  const problems: string[] = [];
  const wholeNumber = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      problems.push(`--${name} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`);
    }
  };
  wholeNumber('seed', flags.seed, -(2 ** 31), 2 ** 32 - 1);
  wholeNumber('voters', flags.voters, 1, 20_000_000);
  wholeNumber('partitions', flags.partitions, 1, 10_000);
  for (const name of ['rate', 'speed'] as const) {
    const value = flags[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      problems.push(`--${name} must be a number above 0`);
  }
  if (flags.speed !== undefined && flags.what !== 'election' && flags.what !== 'votes') {
    problems.push('--speed replays polling day by cast_at: it applies to votes (produce election or votes)');
  }
  return problems;
}

function paceOf(flags: ProduceFlags, election: Election): Pace {
  if (flags.rate !== undefined) return { kind: 'rate', perSecond: flags.rate };
  if (flags.speed !== undefined) return { kind: 'speed', factor: flags.speed, origin: election.polling.opens_at };
  return { kind: 'backfill' };
}

function writeTruth(file: string, election: Election): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(election.truth(), null, 2)}\n`);
  } catch (error) {
    throw new UserError(`--truth ${file}: cannot write the ground truth: ${(error as Error).message}`);
  }
}

async function produce(argv: ArgumentsCamelCase<ProduceFlags>): Promise<void> {
  const config = loadConfig({ flags: argv });
  const logger = createLogger('producer', { logDir: config.logDir, level: config.logLevel });
  const election = createElection({
    scenario: argv.scenario,
    seed: argv.seed,
    ...(argv.voters !== undefined && { overrides: { voters: argv.voters } }),
  });
  if (argv.truth) writeTruth(argv.truth, election);
  const topics = topicsOf(argv.what);
  const pace = paceOf(argv, election);
  const out = process.stderr;
  out.write(
    `Producing ${argv.what === 'election' ? 'the election' : argv.what} of scenario ${election.scenario.name}, seed ${election.seed}, ` +
      `to ${config.kafka.brokers.join(',')} with ${argv.client}; ${topics.at(-1)} ${describePace(pace)}.\n`,
  );

  // First Ctrl-C: stop sending, flush what was sent. Second: leave now.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    out.write(`\n${signal}: stopping; flushing what was sent (Ctrl-C again to quit at once)\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await produceElection({
      election,
      topics,
      client: argv.client,
      kafka: config.kafka,
      partitions: argv.partitions ?? DEFAULT_PARTITIONS,
      partitionsChosen: argv.partitions !== undefined,
      pace,
      logger,
      signal: stop.signal,
      progress: (topic, total) => createProgress(topic, total, out),
      resume: argv.resume,
    });
    const resumed = Object.entries(report.resumed).filter(([, n]) => n > 0);
    if (resumed.length > 0) {
      out.write(`Resumed after the records already in Kafka: ${resumed.map(([t, n]) => `${t} ${n}`).join(', ')}.\n`);
    }
    const partitions = Object.entries(report.partitions).map(([t, n]) => `${t} ${n}`);
    out.write(`${report.stopped ? 'Stopped' : 'Done'}; partitions: ${partitions.join(', ')}.\n`);
    if (argv.truth) out.write(`Ground truth: ${argv.truth}\n`);
    if (report.stopped) process.exitCode = 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    logger.flush();
  }
}

export const produceCommand: CommandModule<object, ProduceFlags> = {
  command: 'produce <what>',
  describe: 'produce a seeded election (or one of its topics) to Kafka',
  builder: builder as unknown as CommandModule<object, ProduceFlags>['builder'],
  handler: produce,
};
