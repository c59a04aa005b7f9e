/**
 * A topology is a description, not a running thing: source nodes (topics and
 * serdes), processor nodes (suppliers and the stores they use), sink nodes,
 * store builders and internal topics. The DSL builds one; the test driver
 * and the Kafka runner execute it with a StreamTask per partition group.
 */
import type { Serde } from '../serde/serde.ts';
import type { StateStore } from '../state/store.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { describeTopology } from './describe.ts';
import type { ProcessorSupplier } from './processor.ts';
import type { TimestampExtractor } from './timestamp.ts';

export interface SourceNodeSpec {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly timestampExtractor: TimestampExtractor | null;
  readonly children: string[];
}

export interface ProcessorNodeSpec {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  readonly children: string[];
  readonly stores: string[];
}

/** Picks the output partition; null lets the runtime hash the key as Kafka's default partitioner does. */
export type StreamPartitioner = (topic: string, key: unknown, value: unknown, partitions: number) => number | null;

export interface SinkNodeSpec {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly partitioner: StreamPartitioner | null;
  readonly parents: readonly string[];
  readonly children: string[];
}

export type NodeSpec = SourceNodeSpec | ProcessorNodeSpec | SinkNodeSpec;

export interface Subtopology {
  readonly id: number;
  /** Node names in creation order. */
  readonly nodes: readonly string[];
  readonly sourceTopics: readonly string[];
  readonly sinkTopics: readonly string[];
  readonly stores: readonly string[];
}

export class TopologyError extends Error {
  override name = 'TopologyError';
}

export class Topology {
  private readonly nodeSpecs = new Map<string, NodeSpec>();
  private readonly storeBuilders = new Map<string, StoreBuilder<StateStore>>();
  /** Topic names without the application id; the runtime prefixes them as `<application.id>-<name>`. */
  private readonly internal = new Set<string>();
  private readonly copartitioned: string[][] = [];
  private readonly topicToSource = new Map<string, string>();

  addSource(
    name: string,
    topics: readonly string[],
    options: { keySerde: Serde<unknown>; valueSerde: Serde<unknown>; timestampExtractor?: TimestampExtractor | null },
  ): this {
    this.checkNewName(name);
    if (topics.length === 0) throw new TopologyError(`source ${name} needs at least one topic`);
    for (const topic of topics) {
      const other = this.topicToSource.get(topic);
      if (other !== undefined)
        throw new TopologyError(`topic ${topic} is already read by source ${other}; read it once and share the stream`);
      this.topicToSource.set(topic, name);
    }
    this.nodeSpecs.set(name, {
      kind: 'source',
      name,
      topics: [...topics],
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      timestampExtractor: options.timestampExtractor ?? null,
      children: [],
    });
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    ...parentNames: string[]
  ): this {
    this.checkNewName(name);
    if (parentNames.length === 0) throw new TopologyError(`processor ${name} needs at least one parent`);
    this.nodeSpecs.set(name, {
      kind: 'processor',
      name,
      supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
      parents: parentNames,
      children: [],
      stores: [],
    });
    this.link(name, parentNames);
    return this;
  }

  addSink(
    name: string,
    topic: string,
    options: { keySerde: Serde<unknown>; valueSerde: Serde<unknown>; partitioner?: StreamPartitioner | null },
    ...parentNames: string[]
  ): this {
    this.checkNewName(name);
    if (parentNames.length === 0) throw new TopologyError(`sink ${name} needs at least one parent`);
    this.nodeSpecs.set(name, {
      kind: 'sink',
      name,
      topic,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      partitioner: options.partitioner ?? null,
      parents: parentNames,
      children: [],
    });
    this.link(name, parentNames);
    return this;
  }

  addStateStore(builder: StoreBuilder<StateStore>, ...processorNames: string[]): this {
    if (this.storeBuilders.has(builder.name)) throw new TopologyError(`a store named ${builder.name} already exists`);
    this.storeBuilders.set(builder.name, builder);
    this.connectProcessorAndStateStores(processorNames, builder.name);
    return this;
  }

  connectProcessorAndStateStores(processorNames: readonly string[], ...storeNames: string[]): this {
    for (const processorName of processorNames) {
      const node = this.nodeSpecs.get(processorName);
      if (node?.kind !== 'processor')
        throw new TopologyError(`no processor named ${processorName} to connect stores to`);
      for (const store of storeNames) {
        if (!this.storeBuilders.has(store))
          throw new TopologyError(`no store named ${store} (add it with addStateStore first)`);
        if (!node.stores.includes(store)) node.stores.push(store);
      }
    }
    return this;
  }

  /** Marks a topic as internal to the application (repartition topics). */
  markInternal(topic: string): this {
    this.internal.add(topic);
    return this;
  }

  /** Topics that must have the same number of partitions (the two sides of a join). */
  requireCopartitioned(topics: readonly string[]): this {
    this.copartitioned.push([...topics]);
    return this;
  }

  get nodes(): ReadonlyMap<string, NodeSpec> {
    return this.nodeSpecs;
  }

  get stores(): ReadonlyMap<string, StoreBuilder<StateStore>> {
    return this.storeBuilders;
  }

  isInternalTopic(topic: string): boolean {
    return this.internal.has(topic);
  }

  /** The topic name on the cluster: internal topics carry the application id. */
  physicalTopic(applicationId: string, topic: string): string {
    return this.internal.has(topic) ? `${applicationId}-${topic}` : topic;
  }

  sourceNodeFor(topic: string): string | undefined {
    return this.topicToSource.get(topic);
  }

  /** Input topics that are not internal. */
  externalSourceTopics(): string[] {
    return [...this.topicToSource.keys()].filter((t) => !this.internal.has(t));
  }

  repartitionTopics(): string[] {
    return [...this.internal];
  }

  copartitionGroups(): readonly (readonly string[])[] {
    return this.copartitioned;
  }

  /** Changelog topic per logged store. */
  changelogTopics(applicationId: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, builder] of this.storeBuilders)
      if (builder.loggingEnabled) out.set(name, `${applicationId}-${name}-changelog`);
    return out;
  }

  /**
   * Connected groups of nodes: nodes joined by an edge or by a shared store.
   * A repartition topic splits the graph, since its sink and source are not
   * linked; each group runs as its own tasks in the Kafka runner.
   */
  subtopologies(): Subtopology[] {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(x, root);
      return root;
    };
    const union = (a: string, b: string) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(rb, ra);
    };
    for (const name of this.nodeSpecs.keys()) parent.set(name, name);
    const storeOwner = new Map<string, string>();
    for (const node of this.nodeSpecs.values()) {
      for (const child of node.children) union(node.name, child);
      if (node.kind === 'processor') {
        for (const store of node.stores) {
          const owner = storeOwner.get(store);
          if (owner === undefined) storeOwner.set(store, node.name);
          else union(owner, node.name);
        }
      }
    }
    const groups = new Map<string, string[]>();
    for (const name of this.nodeSpecs.keys()) {
      const root = find(name);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [name]);
      else group.push(name);
    }
    let id = 0;
    return [...groups.values()].map((nodes) => {
      const sourceTopics: string[] = [];
      const sinkTopics: string[] = [];
      const stores = new Set<string>();
      for (const name of nodes) {
        const node = this.nodeSpecs.get(name) as NodeSpec;
        if (node.kind === 'source') sourceTopics.push(...node.topics);
        else if (node.kind === 'sink') sinkTopics.push(node.topic);
        else for (const store of node.stores) stores.add(store);
      }
      return { id: id++, nodes, sourceTopics, sinkTopics, stores: [...stores] };
    });
  }

  /** A readable description in the format of Kafka Streams' Topology#describe(). */
  describe(): string {
    return describeTopology(this);
  }

  private checkNewName(name: string): void {
    if (this.nodeSpecs.has(name)) throw new TopologyError(`a node named ${name} already exists`);
  }

  private link(child: string, parentNames: readonly string[]): void {
    for (const parentName of parentNames) {
      const parent = this.nodeSpecs.get(parentName);
      if (parent === undefined) throw new TopologyError(`node ${child}: no parent named ${parentName}`);
      if (parent.kind === 'sink') throw new TopologyError(`node ${child}: sink ${parentName} cannot have children`);
      parent.children.push(child);
    }
  }
}
