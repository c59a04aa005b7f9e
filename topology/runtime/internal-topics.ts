/**
 * Internal topics, laid out as Kafka Streams lays them out:
 *
 * - `<application.id>-<name>-repartition`: as many partitions as the largest
 *   source of the sub-topology that writes it (or as the external topics it
 *   must be co-partitioned with);
 * - `<application.id>-<store>-changelog`: compacted, one partition per task of
 *   the store's sub-topology.
 *
 * Topics a join reads must have the same number of partitions; if they do not,
 * planning fails with the counts and the fix, before anything is consumed.
 */
import { StreamsError } from '../processor/task.ts';
import type { Topology } from '../processor/topology.ts';
import type { TaskLayout } from './assignment.ts';

export interface TopicToCreate {
  readonly topic: string;
  readonly numPartitions: number;
  readonly configEntries: { name: string; value: string }[];
}

export interface TopicPlan {
  readonly layout: TaskLayout;
  /** Partitions of every topic the application reads or writes internally, by physical name. */
  readonly partitions: ReadonlyMap<string, number>;
  readonly internalTopics: readonly TopicToCreate[];
  /** store name -> changelog topic, for logged stores. */
  readonly changelogs: ReadonlyMap<string, string>;
}

/**
 * @param existing partition counts of the topics on the cluster (at least the external sources).
 */
export function planTopics(
  topology: Topology,
  applicationId: string,
  existing: ReadonlyMap<string, number>,
): TopicPlan {
  const physical = (t: string) => topology.physicalTopic(applicationId, t);
  const subtopologies = topology.subtopologies();

  const missing = topology.externalSourceTopics().filter((t) => !existing.has(t));
  if (missing.length > 0) {
    throw new StreamsError(
      `source topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found on the cluster: create ${missing.length > 1 ? 'them' : 'it'} before starting ${applicationId}`,
    );
  }

  // Repartition topics take the partition count of the sub-topology that writes them.
  const repartition = new Map<string, number>();
  const visiting = new Set<string>();
  const countOf = (topic: string): number => {
    if (!topology.isInternalTopic(topic)) return existing.get(topic) as number;
    const known = repartition.get(topic);
    if (known !== undefined) return known;
    if (visiting.has(topic)) throw new StreamsError(`repartition topic ${topic} feeds itself; cannot size it`);
    visiting.add(topic);
    let count = 0;
    for (const s of subtopologies) {
      if (!s.sinkTopics.includes(topic)) continue;
      for (const source of s.sourceTopics) count = Math.max(count, countOf(source));
    }
    visiting.delete(topic);
    if (count === 0) throw new StreamsError(`repartition topic ${topic} has no writer; cannot size it`);
    repartition.set(topic, count);
    return count;
  };
  for (const topic of topology.repartitionTopics()) countOf(topic);

  // Co-partitioning: external topics must agree; repartition topics follow them.
  for (const group of topology.copartitionGroups()) {
    const external = group.filter((t) => !topology.isInternalTopic(t));
    const counts = new Set(external.map((t) => existing.get(t) as number));
    if (counts.size > 1) {
      const detail = external.map((t) => `${t} has ${existing.get(t)}`).join(', ');
      throw new StreamsError(
        `topics joined together must have the same number of partitions, but ${detail}: recreate one of them with the other's count, or repartition one side (KStream#repartition) before the join`,
      );
    }
    const target =
      counts.size === 1 ? ([...counts][0] as number) : Math.max(...group.map((t) => repartition.get(t) ?? 0));
    for (const t of group) if (topology.isInternalTopic(t)) repartition.set(t, target);
  }

  const partitions = new Map<string, number>();
  for (const t of topology.externalSourceTopics()) partitions.set(t, existing.get(t) as number);
  for (const [t, n] of repartition) partitions.set(physical(t), n);

  const changelogs = topology.changelogTopics(applicationId);
  const internalTopics: TopicToCreate[] = [];
  for (const [t, n] of repartition) {
    internalTopics.push({
      topic: physical(t),
      numPartitions: n,
      // As Kafka Streams: kept whatever their timestamps (records carry event time, which may be old).
      configEntries: [
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'retention.ms', value: '-1' },
      ],
    });
  }
  const layout: TaskLayout['subtopologies'][number][] = [];
  for (const s of subtopologies) {
    const sources = s.sourceTopics.map(physical);
    const count = Math.max(...sources.map((t) => partitions.get(t) ?? 0));
    layout.push({ id: s.id, sourceTopics: sources, partitions: count });
    for (const store of s.stores) {
      const topic = changelogs.get(store);
      if (topic === undefined) continue;
      partitions.set(topic, count);
      internalTopics.push({
        topic,
        numPartitions: count,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      });
    }
  }

  // An internal topic left by an earlier run must still fit.
  for (const t of internalTopics) {
    const have = existing.get(t.topic);
    if (have !== undefined && have !== t.numPartitions) {
      throw new StreamsError(
        `internal topic ${t.topic} has ${have} partitions but ${applicationId} needs ${t.numPartitions}: delete it (its state is rebuilt) or keep the source topics' partition counts`,
      );
    }
  }
  return { layout: { subtopologies: layout }, partitions, internalTopics, changelogs };
}
