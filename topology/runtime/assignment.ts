/**
 * Tasks and their assignment to the members of the application's group.
 *
 * A task is a sub-topology x a partition (`<subtopology>_<partition>`, Kafka
 * Streams' TaskId); it reads that partition of every source topic of its
 * sub-topology, so co-partitioned topics always meet in one task. A plain
 * partition assignor could split them, hence this assignor, which hands out
 * whole tasks and keeps each task where it was (its state is there) while the
 * load stays balanced, as StreamsPartitionAssignor does.
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
}

export function taskName(task: TaskId): string {
  return `${task.subtopology}_${task.partition}`;
}

/** Sub-topologies as the runtime lays them out: physical source topics and their (common) partition count. */
export interface TaskLayout {
  readonly subtopologies: readonly {
    readonly id: number;
    readonly sourceTopics: readonly string[];
    readonly partitions: number;
  }[];
}

export function allTasks(layout: TaskLayout): TaskId[] {
  const tasks: TaskId[] = [];
  for (const s of layout.subtopologies)
    for (let p = 0; p < s.partitions; p++) tasks.push({ subtopology: s.id, partition: p });
  return tasks;
}

export interface MemberSubscription {
  readonly memberId: string;
  /** Tasks the member ran before this rebalance. */
  readonly previousTasks: readonly string[];
}

/**
 * Balanced and sticky: each member first keeps what it had, up to its share
 * (tasks / members, rounded up for the first `tasks % members` members), then
 * the rest go to the least loaded members.
 */
export function assignTasks(tasks: readonly string[], members: readonly MemberSubscription[]): Map<string, string[]> {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const out = new Map<string, string[]>(sorted.map((m) => [m.memberId, []]));
  if (sorted.length === 0) return out;
  const base = Math.floor(tasks.length / sorted.length);
  let extra = tasks.length % sorted.length;
  const share = new Map<string, number>();
  for (const m of sorted) share.set(m.memberId, base);
  const owner = new Map<string, string>();
  for (const m of sorted) for (const t of m.previousTasks) if (!owner.has(t)) owner.set(t, m.memberId);
  const left: string[] = [];
  for (const task of tasks) {
    const prev = owner.get(task);
    const mine = prev === undefined ? undefined : out.get(prev);
    if (prev !== undefined && mine !== undefined) {
      const limit = share.get(prev) as number;
      if (mine.length < limit) {
        mine.push(task);
        continue;
      }
      if (mine.length === limit && extra > 0) {
        share.set(prev, limit + 1);
        extra--;
        mine.push(task);
        continue;
      }
    }
    left.push(task);
  }
  for (const task of left) {
    let best: string[] | undefined;
    for (const list of out.values()) if (best === undefined || list.length < best.length) best = list;
    (best as string[]).push(task);
  }
  return out;
}

interface SubscriptionData {
  readonly tasks: readonly string[];
}

/**
 * The kafkajs assignor: members announce their current tasks in the
 * subscription's user data; the leader assigns tasks and turns them into
 * topic partitions.
 */
export function streamsAssignor(layout: TaskLayout, currentTasks: () => readonly string[]): PartitionAssigner {
  const name = 'tally-streams';
  return () => ({
    name,
    version: 1,
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify({ tasks: currentTasks() } satisfies SubscriptionData));
      return { name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }) };
    },
    async assign({ members }) {
      const subscriptions: MemberSubscription[] = members.map((m) => {
        const metadata = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
        let previousTasks: readonly string[] = [];
        try {
          previousTasks = (JSON.parse(metadata?.userData.toString() || '{}') as Partial<SubscriptionData>).tasks ?? [];
        } catch {
          // A member that sent no readable user data simply has no previous tasks.
        }
        return { memberId: m.memberId, previousTasks };
      });
      const byName = new Map(allTasks(layout).map((t) => [taskName(t), t]));
      const assigned = assignTasks([...byName.keys()], subscriptions);
      return [...assigned].map(([memberId, tasks]) => {
        const assignment: Record<string, number[]> = {};
        for (const task of tasks) {
          const id = byName.get(task) as TaskId;
          const sub = layout.subtopologies.find((s) => s.id === id.subtopology);
          for (const topic of sub?.sourceTopics ?? []) {
            assignment[topic] ??= [];
            assignment[topic].push(id.partition);
          }
        }
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment,
            userData: Buffer.alloc(0),
          }),
        };
      });
    },
  });
}

/** The tasks a member's topic partitions make up. */
export function tasksOf(layout: TaskLayout, assignment: Readonly<Record<string, readonly number[]>>): TaskId[] {
  const tasks = new Map<string, TaskId>();
  for (const s of layout.subtopologies) {
    for (const topic of s.sourceTopics) {
      for (const partition of assignment[topic] ?? []) {
        const id = { subtopology: s.id, partition };
        tasks.set(taskName(id), id);
      }
    }
  }
  return [...tasks.values()];
}
