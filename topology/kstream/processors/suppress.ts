/**
 * Suppression until a window closes (ksqlDB's EMIT FINAL): each windowed
 * update replaces the buffered one for its window; once stream time (the
 * largest timestamp this processor has seen) reaches window end + grace, the
 * window's last update is emitted, once, and tombstones are dropped.
 *
 * The buffer is a logged key-value store keyed by [window end][key bytes], so
 * iteration order is eviction order and the buffer survives a restart. Its
 * memory is bounded by maxRecords / maxBytes; when full it either fails the
 * task with an error that says which limit to raise ('shutdown', Kafka
 * Streams' only choice for final results) or emits the oldest windows early.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import { StreamsError } from '../../processor/task.ts';
import type { Serde } from '../../serde/serde.ts';
import { writeInt64 } from '../../serde/serde.ts';
import type { Windowed } from '../../serde/windowed.ts';
import type { KeyValueStore, ValueAndTimestamp } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';

export interface BufferConfig {
  readonly maxRecords?: number;
  readonly maxBytes?: number;
  /** Default 'shutdown'. */
  readonly whenFull?: 'shutdown' | 'emit-early';
}

export class SuppressFinalProcessor<K, V> implements Processor<Windowed<K>, Change<V>, Windowed<K>, Change<V>> {
  private context!: ProcessorContext<Windowed<K>, Change<V>>;
  private buffer!: KeyValueStore<Buffer, ValueAndTimestamp<Change<V>>>;
  private observedStreamTime = -1;
  private minTime = Number.POSITIVE_INFINITY;
  private records = 0;
  private bytes = 0;
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly storeName: string,
    private readonly keySerde: Serde<Windowed<K>>,
    /** Grace of the window (plus the gap, for sessions). */
    private readonly suppressDurationMs: number,
    private readonly config: BufferConfig,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<V>>): void {
    this.context = context;
    this.buffer = context.getStateStore(this.storeName);
    for (const entry of this.buffer.all()) this.account(entry.key, entry.value);
  }

  process(record: Record<Windowed<K>, Change<V>>): void {
    if (record.timestamp > this.observedStreamTime) this.observedStreamTime = record.timestamp;
    const keyBytes = this.keySerde.serialize(this.storeName, record.key);
    if (keyBytes === null) return;
    const bufferKey = Buffer.allocUnsafe(keyBytes.length + 8);
    writeInt64(bufferKey, 0, record.key.window.end);
    keyBytes.copy(bufferKey, 8);
    const entry = { value: record.value, timestamp: record.timestamp };
    const id = bufferKey.toString('latin1');
    const previous = this.sizes.get(id);
    if (previous !== undefined) {
      this.records--;
      this.bytes -= previous;
    }
    this.buffer.put(bufferKey, entry);
    this.account(bufferKey, entry);
    this.enforceConstraints();
  }

  private account(bufferKey: Buffer, entry: ValueAndTimestamp<Change<V>>): void {
    const size = bufferKey.length + 8 + JSON.stringify(entry.value ?? null).length;
    this.sizes.set(bufferKey.toString('latin1'), size);
    this.records++;
    this.bytes += size;
    const time = bufferKey.readUInt32BE(0) * 0x1_0000_0000 + bufferKey.readUInt32BE(4);
    if (time < this.minTime) this.minTime = time;
  }

  private enforceConstraints(): void {
    const expiryTime = this.observedStreamTime - this.suppressDurationMs;
    if (this.minTime <= expiryTime) this.evictWhile((time) => time <= expiryTime);
    if (this.overCapacity()) {
      if ((this.config.whenFull ?? 'shutdown') === 'emit-early') {
        this.evictWhile(() => this.overCapacity());
        return;
      }
      throw new StreamsError(
        `suppression buffer ${this.storeName} is full: ${this.records}/${this.config.maxRecords ?? '∞'} records, ` +
          `${this.bytes}/${this.config.maxBytes ?? '∞'} bytes. Raise the buffer limits (ksql.suppress.buffer.size.bytes) ` +
          'or shorten the window grace period so windows close sooner.',
      );
    }
  }

  private overCapacity(): boolean {
    return (
      (this.config.maxRecords !== undefined && this.records > this.config.maxRecords) ||
      (this.config.maxBytes !== undefined && this.bytes > this.config.maxBytes)
    );
  }

  private evictWhile(condition: (time: number) => boolean): void {
    this.minTime = Number.POSITIVE_INFINITY;
    for (const entry of this.buffer.all()) {
      const time = entry.key.readUInt32BE(0) * 0x1_0000_0000 + entry.key.readUInt32BE(4);
      if (!condition(time)) {
        this.minTime = time;
        return;
      }
      this.buffer.put(entry.key, null);
      const id = entry.key.toString('latin1');
      this.bytes -= this.sizes.get(id) ?? 0;
      this.sizes.delete(id);
      this.records--;
      const value = entry.value.value;
      if (value.newValue !== null) {
        const key = this.keySerde.deserialize(this.storeName, entry.key.subarray(8)) as Windowed<K>;
        this.context.forward(new Record(key, change(value.newValue, value.oldValue), entry.value.timestamp));
      }
    }
  }
}
