/**
 * What the driver keeps of a topic it has written: the bytes of every key
 * and value copied into one growing buffer, and their positions and
 * timestamps in typed arrays. Keeping hundreds of thousands of small Buffers
 * (and a record object each) alive made the garbage collector the largest
 * cost of a driver run; records are rebuilt only when a test reads them.
 */
import { type Headers, NO_HEADERS } from '../processor/record.ts';

export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

const NULL = -1;

export class TopicLog {
  /** Offset of the next record a TestOutputTopic reads. */
  readPosition = 0;
  private count = 0;
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  // Per record: key start, key length, value start, value length (length -1 = null).
  private positions = new Int32Array(4 * 1024);
  private timestamps = new Float64Array(1024);
  private readonly headers = new Map<number, Headers>();

  constructor(readonly topic: string) {}

  get size(): number {
    return this.count;
  }

  append(key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    const i = this.count;
    if (i === this.timestamps.length) this.growIndex();
    const keyLength = key === null ? NULL : key.length;
    const valueLength = value === null ? NULL : value.length;
    const needed = this.used + Math.max(keyLength, 0) + Math.max(valueLength, 0);
    if (needed > this.bytes.length) this.growBytes(needed);
    const p = i * 4;
    const positions = this.positions;
    positions[p] = this.used;
    positions[p + 1] = keyLength;
    if (keyLength > 0) this.used = copyInto(key as Buffer, this.bytes, this.used);
    positions[p + 2] = this.used;
    positions[p + 3] = valueLength;
    if (valueLength > 0) this.used = copyInto(value as Buffer, this.bytes, this.used);
    this.timestamps[i] = timestamp;
    if (headers.length > 0) this.headers.set(i, headers);
    this.count = i + 1;
  }

  /** The record at an offset; its key and value are copies, safe to keep. */
  get(offset: number): ProducedRecord {
    if (offset < 0 || offset >= this.count) throw new RangeError(`no record at offset ${offset} of ${this.topic}`);
    const p = offset * 4;
    return {
      topic: this.topic,
      partition: 0,
      offset,
      key: this.slice(this.positions[p] as number, this.positions[p + 1] as number),
      value: this.slice(this.positions[p + 2] as number, this.positions[p + 3] as number),
      timestamp: this.timestamps[offset] as number,
      headers: this.headers.get(offset) ?? NO_HEADERS,
    };
  }

  private slice(start: number, length: number): Buffer | null {
    if (length === NULL) return null;
    return Buffer.from(this.bytes.subarray(start, start + length));
  }

  private growIndex(): void {
    const positions = new Int32Array(this.positions.length * 2);
    positions.set(this.positions);
    this.positions = positions;
    const timestamps = new Float64Array(this.timestamps.length * 2);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
  }

  private growBytes(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bytes = Buffer.allocUnsafe(size);
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }
}

/** Buffer#copy costs more than a byte loop for the few bytes of a typical key or count. */
function copyInto(source: Buffer, target: Buffer, at: number): number {
  const n = source.length;
  if (n > 64) return at + source.copy(target, at);
  for (let i = 0; i < n; i++) target[at + i] = source[i] as number;
  return at + n;
}
