/**
 * The election's topics and how they are created.
 *
 * votes and voters are both keyed by voter_id and must have the same number
 * of partitions: then a voter and all their votes share a partition number
 * (both clients use Kafka's murmur2 partitioner) and ksqlDB joins the two
 * without repartitioning. The other topics get the same count for simplicity.
 *
 * Records carry event times (registered_at, cast_at), which may lie weeks in
 * the past; under Kafka's default retention (7 days by record timestamp) a
 * past election would be deleted on arrival, so retention is unlimited.
 * Every topic but votes is a table: compacted, each key is its latest record.
 */
import { UserError } from '../../config/index.ts';
import type { TopicSpec } from './record-sink.ts';

export const ELECTION_TOPICS = [
  'regions',
  'constituencies',
  'polling_stations',
  'parties',
  'candidates',
  'voters',
  'votes',
] as const;
export type ElectionTopic = (typeof ELECTION_TOPICS)[number];

/** Enough partitions for ksqlDB to process in parallel on a laptop; `--partitions` changes it. */
export const DEFAULT_PARTITIONS = 6;

const TABLE_TOPIC = { 'cleanup.policy': 'compact', 'retention.ms': '-1' };
const TOPIC_CONFIGS: Record<ElectionTopic, Record<string, string>> = {
  regions: TABLE_TOPIC,
  constituencies: TABLE_TOPIC,
  polling_stations: TABLE_TOPIC,
  parties: TABLE_TOPIC,
  candidates: TABLE_TOPIC,
  voters: TABLE_TOPIC,
  votes: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
};

/** Topics that must have the same partition count to be joined without repartitioning. */
const CO_PARTITIONED: readonly ElectionTopic[] = ['voters', 'votes'];

export interface TopicRequest {
  /** The topics about to be written to. */
  topics: readonly ElectionTopic[];
  partitions: number;
  /** True when the user chose the count (--partitions), false for the default. */
  chosen: boolean;
}

/**
 * Which topics to create, given those that exist. An existing topic is kept
 * as it is; a missing co-partitioned one follows its partner's count unless
 * the user chose another, which is an error, as is a mismatch already on the
 * broker: both would break the voters-votes join.
 */
export function planTopics(request: TopicRequest, existing: ReadonlyMap<string, number>): TopicSpec[] {
  const problems: string[] = [];
  for (const topic of request.topics) {
    const count = existing.get(topic);
    if (count !== undefined && request.chosen && count !== request.partitions) {
      problems.push(`topic ${topic} exists with ${count} partitions, not the ${request.partitions} asked for`);
    }
  }
  const partnerCounts = new Set(CO_PARTITIONED.map((t) => existing.get(t)).filter((n) => n !== undefined));
  if (partnerCounts.size > 1) {
    problems.push(
      `topics ${CO_PARTITIONED.join(' and ')} have different partition counts (${CO_PARTITIONED.map((t) => existing.get(t)).join(' and ')}); ksqlDB cannot join them`,
    );
  }
  const [partnerCount] = partnerCounts;
  if (partnerCount !== undefined && request.chosen && partnerCount !== request.partitions) {
    const missing = request.topics.filter((t) => CO_PARTITIONED.includes(t) && !existing.has(t));
    for (const topic of missing) {
      problems.push(
        `topic ${topic} would get ${request.partitions} partitions but its join partner has ${partnerCount}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new UserError(
      `Cannot produce: ${problems.join('; ')}.\n` +
        'Delete the election topics (`tally reset` on the embedded stack) to start afresh, or drop --partitions to keep the existing counts.',
    );
  }
  return request.topics
    .filter((topic) => !existing.has(topic))
    .map((topic) => ({
      name: topic,
      partitions: CO_PARTITIONED.includes(topic) ? (partnerCount ?? request.partitions) : request.partitions,
      configs: TOPIC_CONFIGS[topic],
    }));
}
