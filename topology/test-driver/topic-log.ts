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
import { readInt64, writeInt64 } from '../serde/serde.ts';

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

  /** Makes room for `needed` bytes in all. */
  grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bytes = Buffer.allocUnsafe(size);
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }
}

/** Copies `length` bytes of `source` from `start` to `target` at `at`. */
function copy(source: Buffer, start: number, length: number, target: Buffer, at: number): void {
  // Buffer#copy costs more than a byte loop for the few bytes of a typical key or count.
  if (length > 64) source.copy(target, at, start, start + length);
  else for (let i = 0; i < length; i++) target[at + i] = source[start + i] as number;
}

export class TopicLog {
  /** Offset of the next record a TestOutputTopic reads. */
  readPosition = 0;
  private count = 0;
  private readonly chunks: Chunk[] = [];
  /** The chunk the next record goes to (the last one). */
  private current: Chunk | null = null;
  private readonly headers = new Map<number, Headers>();

  constructor(readonly topic: string) {}

  get size(): number {
    return this.count;
  }

  append(key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    const keyLength = key === null ? 0 : key.length;
    const valueLength = value === null ? 0 : value.length;
    const chunk = this.chunkWithRoom(keyLength + valueLength);
    const at = chunk.used;
    if (key !== null) copy(key, 0, keyLength, chunk.bytes, at);
    if (value !== null) copy(value, 0, valueLength, chunk.bytes, at + keyLength);
    chunk.used = at + keyLength + valueLength;
    this.index(chunk, at, key === null ? NULL : keyLength, value === null ? NULL : valueLength, timestamp, headers);
  }

  /** A record whose value and timestamp come from a timestamped store's bytes: [timestamp: int64][value]. */
  appendTimestamped(key: Buffer, stored: Buffer): void {
    const keyLength = key.length;
    const valueLength = stored.length - 8;
    const chunk = this.chunkWithRoom(keyLength + valueLength);
    const at = chunk.used;
    copy(key, 0, keyLength, chunk.bytes, at);
    copy(stored, 8, valueLength, chunk.bytes, at + keyLength);
    chunk.used = at + keyLength + valueLength;
    this.index(chunk, at, keyLength, valueLength, readInt64(stored, 0), NO_HEADERS);
  }

  /**
   * A window store's changelog record: key [key][window start: int64][seqnum: int32], value and timestamp
   * from a timestamped store's bytes; the key is written here rather than built first.
   */
  appendTimestampedWindow(key: Buffer, windowStart: number, seqnum: number, stored: Buffer): void {
    const n = key.length;
    const keyLength = n + 12;
    const valueLength = stored.length - 8;
    const chunk = this.chunkWithRoom(keyLength + valueLength);
    const bytes = chunk.bytes;
    const at = chunk.used;
    copy(key, 0, n, bytes, at);
    writeInt64(bytes, at + n, windowStart);
    bytes[at + n + 8] = seqnum >>> 24;
    bytes[at + n + 9] = seqnum >>> 16;
    bytes[at + n + 10] = seqnum >>> 8;
    bytes[at + n + 11] = seqnum;
    copy(stored, 8, valueLength, bytes, at + keyLength);
    chunk.used = at + keyLength + valueLength;
    this.index(chunk, at, keyLength, valueLength, readInt64(stored, 0), NO_HEADERS);
  }

  /** The chunk for the next record, with room for `bytes` more bytes. */
  private chunkWithRoom(bytes: number): Chunk {
    let chunk = this.current;
    if (chunk === null || (this.count & CHUNK_MASK) === 0) {
      chunk = new Chunk(chunk === null ? 16 * 1024 : chunk.bytes.length);
      this.chunks.push(chunk);
      this.current = chunk;
    }
    if (chunk.used + bytes > chunk.bytes.length) chunk.grow(chunk.used + bytes);
    return chunk;
  }

  /** Records the next record's place: its key at `at`, its value right after. */
  private index(
    chunk: Chunk,
    at: number,
    keyLength: number,
    valueLength: number,
    timestamp: number,
    headers: Headers,
  ): void {
    const i = this.count;
    const slot = i & CHUNK_MASK;
    const p = slot * 4;
    const positions = chunk.positions;
    positions[p] = at;
    positions[p + 1] = keyLength;
    positions[p + 2] = keyLength === NULL ? at : at + keyLength;
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
