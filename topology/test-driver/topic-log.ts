/**
 * What the driver keeps of a topic it has written: the bytes of every key
 * and value copied into a growing buffer per chunk of records, and their
 * positions and timestamps in typed arrays. Keeping hundreds of thousands
 * of small Buffers (and a record object each) alive made the garbage
 * collector the largest cost of a driver run; records are rebuilt only when
 * a test reads them.
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import { type Headers, NO_HEADERS } from '../processor/record.ts';
import { readInt64 } from '../serde/serde.ts';

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
/** Records per chunk (a power of two): offset >>> CHUNK_BITS is the chunk, offset & CHUNK_MASK the slot. */
const CHUNK_BITS = 12;
const CHUNK_RECORDS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_RECORDS - 1;

/**
 * A run of consecutive records with its own byte buffer. A log grows by
 * adding chunks, so the index of earlier records is never copied again.
 */
class Chunk {
  // Per record: key start, key length, value start, value length (length -1 = null).
  readonly positions = new Int32Array(4 * CHUNK_RECORDS);
  readonly timestamps = new Float64Array(CHUNK_RECORDS);
  bytes: Buffer;
  used = 0;

  /** `byteSize`: the previous chunk's final size, a good guess for this one's. */
  constructor(byteSize: number) {
    this.bytes = Buffer.allocUnsafe(byteSize);
  }

  /** Copies `length` bytes of `source` from `start` (length -1: null) and returns where they went. */
  put(source: Buffer | null, start: number, length: number): number {
    const at = this.used;
    if (length <= 0) return at;
    if (at + length > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < at + length) size *= 2;
      const bytes = Buffer.allocUnsafe(size);
      this.bytes.copy(bytes, 0, 0, at);
      this.bytes = bytes;
    }
    const target = this.bytes;
    const from = source as Buffer;
    // Buffer#copy costs more than a byte loop for the few bytes of a typical key or count.
    if (length > 64) from.copy(target, at, start, start + length);
    else for (let i = 0; i < length; i++) target[at + i] = from[start + i] as number;
    this.used = at + length;
    return at;
  }
}

export class TopicLog {
  /** Offset of the next record a TestOutputTopic reads. */
  readPosition = 0;
  private count = 0;
  private readonly chunks: Chunk[] = [];
  private readonly headers = new Map<number, Headers>();

  constructor(readonly topic: string) {}

  get size(): number {
    return this.count;
  }

  append(key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    this.add(key, value, 0, value === null ? NULL : value.length, timestamp, headers);
  }

  /** A record whose value and timestamp come from a timestamped store's bytes: [timestamp: int64][value]. */
  appendTimestamped(key: Buffer, stored: Buffer): void {
    this.add(key, stored, 8, stored.length - 8, readInt64(stored, 0), NO_HEADERS);
  }

  private add(
    key: Buffer | null,
    value: Buffer | null,
    valueStart: number,
    valueLength: number,
    timestamp: number,
    headers: Headers,
  ): void {
    const i = this.count;
    const slot = i & CHUNK_MASK;
    let chunk = this.chunks[i >>> CHUNK_BITS];
    if (chunk === undefined) {
      chunk = new Chunk(this.chunks.at(-1)?.bytes.length ?? 16 * 1024);
      this.chunks.push(chunk);
    }
    const keyLength = key === null ? NULL : key.length;
    const p = slot * 4;
    const positions = chunk.positions;
    positions[p] = chunk.put(key, 0, keyLength);
    positions[p + 1] = keyLength;
    positions[p + 2] = chunk.put(value, valueStart, valueLength);
    positions[p + 3] = valueLength;
    chunk.timestamps[slot] = timestamp;
    if (headers.length > 0) this.headers.set(i, headers);
    this.count = i + 1;
  }

  /** The record at an offset; its key and value are copies, safe to keep. */
  get(offset: number): ProducedRecord {
    if (offset < 0 || offset >= this.count) throw new RangeError(`no record at offset ${offset} of ${this.topic}`);
    const chunk = this.chunks[offset >>> CHUNK_BITS] as Chunk;
    const slot = offset & CHUNK_MASK;
    const p = slot * 4;
    const positions = chunk.positions;
    return {
      topic: this.topic,
      partition: 0,
      offset,
      key: slice(chunk.bytes, positions[p] as number, positions[p + 1] as number),
      value: slice(chunk.bytes, positions[p + 2] as number, positions[p + 3] as number),
      timestamp: chunk.timestamps[slot] as number,
      headers: this.headers.get(offset) ?? NO_HEADERS,
    };
  }
}

function slice(bytes: Buffer, start: number, length: number): Buffer | null {
  if (length === NULL) return null;
  return Buffer.from(bytes.subarray(start, start + length));
}
