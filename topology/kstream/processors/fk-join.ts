/**
 * Foreign-key table-table join, with the emission rules of Kafka Streams'
 * subscription/response protocol, run within one task: a subscription store
 * indexes [foreign key][primary key] so an update of the right table finds
 * the left rows that point at it.
 *
 * Left update, inner join: a new row with a partner emits; a row whose
 * foreign key changes or disappears emits its new result or a tombstone; a
 * deleted row emits a tombstone. Left join: every left update emits.
 * Right update: every subscribed left row emits (a tombstone for an inner
 * join when the right row is gone).
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import type { Serde } from '../../serde/serde.ts';
import type { KeyValueStore } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { ValueJoiner } from './joins.ts';
import type { ValueGetter, ValueGetterSupplier } from './table.ts';

const EMPTY = Buffer.alloc(0);

function subscriptionPrefix(fk: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + fk.length);
  out.writeUInt32BE(fk.length, 0);
  fk.copy(out, 4);
  return out;
}

function subscriptionKey(fk: Buffer, pk: Buffer): Buffer {
  return Buffer.concat([subscriptionPrefix(fk), pk]);
}

export class ForeignKeyJoinProcessor<K, V, KO, VO, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private subscriptions!: KeyValueStore<Buffer, Buffer>;
  private right!: ValueGetter<KO, VO>;

  constructor(
    private readonly storeName: string,
    private readonly keySerde: Serde<K>,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly foreignKey: (value: V) => KO | null,
    private readonly rightGetter: ValueGetterSupplier<KO, VO>,
    private readonly joiner: ValueJoiner<unknown, unknown, VR>,
    private readonly leftJoin: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    this.subscriptions = context.getStateStore(this.storeName);
    this.right = this.rightGetter.get();
    this.right.init(context);
  }

  private fkBytes(fk: KO | null): Buffer | null {
    return fk === null || fk === undefined ? null : this.foreignKeySerde.serialize(this.storeName, fk);
  }

  process(record: Record<K, Change<V>>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'foreign-key joins skip rows with a null key');
      return;
    }
    const pk = this.keySerde.serialize(this.storeName, key) as Buffer;
    const { newValue, oldValue } = record.value;
    const newFk = newValue === null ? null : this.foreignKey(newValue);
    const oldFk = oldValue === null ? null : this.foreignKey(oldValue);
    const newFkBytes = this.fkBytes(newFk);
    const oldFkBytes = this.fkBytes(oldFk);
    const fkChanged = !(newFkBytes !== null && oldFkBytes !== null && newFkBytes.equals(oldFkBytes));
    if (oldFkBytes !== null && fkChanged) this.subscriptions.put(subscriptionKey(oldFkBytes, pk), null);
    if (newFkBytes !== null) this.subscriptions.put(subscriptionKey(newFkBytes, pk), EMPTY);

    const partner = newFk === null || newFk === undefined ? null : (this.right.get(newFk)?.value ?? null);
    const emit = (result: VR | null) => this.context.forward(record.withValue(change(result, null)));
    if (this.leftJoin) {
      if (newValue === null) emit(null);
      else emit(this.joiner(newValue, partner, key));
      return;
    }
    if (oldValue !== null) {
      if (oldFkBytes === null && newFkBytes === null) return;
      if (newFkBytes === null || newValue === null) emit(null);
      else emit(partner === null ? null : this.joiner(newValue, partner, key));
    } else if (newValue !== null && newFkBytes !== null && partner !== null) {
      emit(this.joiner(newValue, partner, key));
    }
  }
}

export class ForeignKeyRightProcessor<K, V, KO, VO, VR> implements Processor<KO, Change<VO>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private subscriptions!: KeyValueStore<Buffer, Buffer>;
  private left!: ValueGetter<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly keySerde: Serde<K>,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly leftGetter: ValueGetterSupplier<K, V>,
    private readonly joiner: ValueJoiner<unknown, unknown, VR>,
    private readonly leftJoin: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    this.subscriptions = context.getStateStore(this.storeName);
    this.left = this.leftGetter.get();
    this.left.init(context);
  }

  process(record: Record<KO, Change<VO>>): void {
    if (record.key === null || record.key === undefined) {
      this.context.recordSkipped('null-key', 'foreign-key joins skip rows with a null key');
      return;
    }
    if (record.value.newValue === null && record.value.oldValue === null) return;
    const fk = this.foreignKeySerde.serialize(this.storeName, record.key) as Buffer;
    const prefix = subscriptionPrefix(fk);
    const partner = record.value.newValue;
    for (const subscription of this.subscriptions.prefixScan(prefix, bytesSerde)) {
      const key = this.keySerde.deserialize(this.storeName, subscription.key.subarray(prefix.length)) as K;
      const leftValue = this.left.get(key)?.value ?? null;
      if (leftValue === null) continue;
      const result = partner === null && !this.leftJoin ? null : this.joiner(leftValue, partner, key);
      this.context.forward(new Record(key, change(result, null), record.timestamp, record.headers));
    }
  }
}

const bytesSerde: Serde<Buffer> = {
  serialize: (_t, v) => v,
  deserialize: (_t, b) => b,
};
