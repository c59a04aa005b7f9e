/**
 * Stateless stream processors. Each forwards zero, one or many records per
 * input; keys and timestamps pass through unless the operator changes them.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import type { Record } from '../../processor/record.ts';

export type Predicate<K, V> = (key: K, value: V) => boolean;
export type KeyValueMapper<K, V, R> = (key: K, value: V) => R;
export type ValueMapper<K, V, R> = (value: V, key: K) => R;

abstract class ForwardingProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  protected context!: ProcessorContext<KOut, VOut>;

  init(context: ProcessorContext<KOut, VOut>): void {
    this.context = context;
  }

  abstract process(record: Record<KIn, VIn>): void;
}

export class FilterProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly negate: boolean,
  ) {
    super();
  }

  process(record: Record<K, V>): void {
    if (this.predicate(record.key, record.value) !== this.negate) this.context.forward(record);
  }
}

export class MapProcessor<K, V, KR, VR> extends ForwardingProcessor<K, V, KR, VR> {
  constructor(private readonly mapper: KeyValueMapper<K, V, { key: KR; value: VR }>) {
    super();
  }

  process(record: Record<K, V>): void {
    const pair = this.mapper(record.key, record.value);
    this.context.forward(record.withKey(pair.key).withValue(pair.value));
  }
}

export class MapValuesProcessor<K, V, VR> extends ForwardingProcessor<K, V, K, VR> {
  constructor(private readonly mapper: ValueMapper<K, V, VR>) {
    super();
  }

  process(record: Record<K, V>): void {
    this.context.forward(record.withValue(this.mapper(record.value, record.key)));
  }
}

export class SelectKeyProcessor<K, V, KR> extends ForwardingProcessor<K, V, KR, V> {
  constructor(private readonly selector: KeyValueMapper<K, V, KR>) {
    super();
  }

  process(record: Record<K, V>): void {
    this.context.forward(record.withKey(this.selector(record.key, record.value)));
  }
}

export class FlatMapProcessor<K, V, KR, VR> extends ForwardingProcessor<K, V, KR, VR> {
  constructor(private readonly mapper: KeyValueMapper<K, V, Iterable<{ key: KR; value: VR }>>) {
    super();
  }

  process(record: Record<K, V>): void {
    for (const pair of this.mapper(record.key, record.value))
      this.context.forward(record.withKey(pair.key).withValue(pair.value));
  }
}

export class FlatMapValuesProcessor<K, V, VR> extends ForwardingProcessor<K, V, K, VR> {
  constructor(private readonly mapper: ValueMapper<K, V, Iterable<VR>>) {
    super();
  }

  process(record: Record<K, V>): void {
    for (const value of this.mapper(record.value, record.key)) this.context.forward(record.withValue(value));
  }
}

export class PeekProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly action: (key: K, value: V) => void,
    private readonly forwards: boolean,
  ) {
    super();
  }

  process(record: Record<K, V>): void {
    this.action(record.key, record.value);
    if (this.forwards) this.context.forward(record);
  }
}

/** split(): sends each record to the first branch whose predicate accepts it (or the default branch). */
export class BranchProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly predicates: readonly Predicate<K, V>[],
    private readonly children: readonly string[],
    private readonly defaultChild: string | null,
  ) {
    super();
  }

  process(record: Record<K, V>): void {
    for (let i = 0; i < this.predicates.length; i++) {
      if ((this.predicates[i] as Predicate<K, V>)(record.key, record.value)) {
        this.context.forward(record, this.children[i]);
        return;
      }
    }
    if (this.defaultChild !== null) this.context.forward(record, this.defaultChild);
  }
}

/** merge(), branch children and other nodes that only pass records on. */
export class PassThroughProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  process(record: Record<K, V>): void {
    this.context.forward(record);
  }
}

/** Before a repartition sink: records without a key cannot be partitioned by key and are dropped. */
export class DropNullKeyProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) return;
    this.context.forward(record);
  }
}
