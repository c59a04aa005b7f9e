/**
 * Writes Kafka's wire types into a growable buffer. Large byte fields (record
 * batches in Fetch responses, Produce requests) are not copied: they are kept
 * as their own chunk and `toChunks()` hands the list to `socket.writev`-style
 * writers; `toBuffer()` joins them when one Buffer is wanted.
 */

/** Byte fields at least this large are referenced, not copied. */
const ZERO_COPY_THRESHOLD = 4096;
const INITIAL_CAPACITY = 256;

export class Encoder {
  private buffer: Buffer;
  private position = 0;
  /** Start of the part of `buffer` not yet moved into `chunks`. */
  private segmentStart = 0;
  private readonly chunks: Buffer[] = [];
  private chunkedLength = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.chunkedLength + this.position - this.segmentStart;
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const used = this.position - this.segmentStart;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, used + bytes));
    this.buffer.copy(grown, 0, this.segmentStart, this.position);
    // Earlier chunks keep referencing the old buffer, which is fine: they are final.
    this.buffer = grown;
    this.segmentStart = 0;
    this.position = used;
  }

  int8(value: number): this {
    this.ensure(1);
    this.position = this.buffer.writeInt8(value, this.position);
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.position = this.buffer.writeInt16BE(value, this.position);
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.position = this.buffer.writeInt32BE(value, this.position);
    return this;
  }

  uint32(value: number): this {
    this.ensure(4);
    this.position = this.buffer.writeUInt32BE(value, this.position);
    return this;
  }

  int64(value: bigint): this {
    this.ensure(8);
    this.position = this.buffer.writeBigInt64BE(value, this.position);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** Unsigned LEB128 varint, 0 to 2^32-1. */
  uvarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${value}`);
    }
    this.ensure(5);
    const buffer = this.buffer;
    let position = this.position;
    while (value >= 0x80) {
      buffer[position++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buffer[position++] = value;
    this.position = position;
    return this;
  }

  /** Zigzag signed 32-bit varint. */
  varint(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new RangeError(`varint out of int32 range: ${value}`);
    }
    return this.uvarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** Unsigned LEB128 varint, 0 to 2^64-1. */
  uvarlong(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`unsigned varlong out of range: ${value}`);
    this.ensure(10);
    while (value >= 0x80n) {
      this.buffer[this.position++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buffer[this.position++] = Number(value);
    return this;
  }

  /** Zigzag signed 64-bit varint. */
  varlong(value: bigint): this {
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) {
      throw new RangeError(`varlong out of int64 range: ${value}`);
    }
    return this.uvarlong(((value << 1n) ^ (value >> 63n)) & 0xffffffffffffffffn);
  }

  uuid(value: Buffer): this {
    if (value.length !== 16) throw new RangeError(`a uuid has 16 bytes, got ${value.length}`);
    return this.raw(value);
  }

  /** Appends bytes as they are (no length). */
  raw(bytes: Buffer): this {
    // Never as the first chunk, so that patchInt32 only ever writes into our own memory.
    if (bytes.length >= ZERO_COPY_THRESHOLD && this.length > 0) {
      if (this.position > this.segmentStart) {
        this.chunks.push(this.buffer.subarray(this.segmentStart, this.position));
        this.chunkedLength += this.position - this.segmentStart;
        this.segmentStart = this.position;
      }
      this.chunks.push(bytes);
      this.chunkedLength += bytes.length;
      return this;
    }
    this.ensure(bytes.length);
    this.position += bytes.copy(this.buffer, this.position);
    return this;
  }

  private utf8(value: string, writeLength: (byteLength: number) => void): this {
    const byteLength = Buffer.byteLength(value, 'utf8');
    writeLength(byteLength);
    this.ensure(byteLength);
    this.position += this.buffer.write(value, this.position, byteLength, 'utf8');
    return this;
  }

  /** i16 length + UTF-8; null is -1. */
  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    return this.utf8(value, (n) => {
      if (n > 0x7fff) throw new RangeError(`string of ${n} bytes is too long for an int16 length`);
      this.int16(n);
    });
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  /** uvarint N+1 + UTF-8; null is 0. */
  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    return this.utf8(value, (n) => this.uvarint(n + 1));
  }

  compactString(value: string): this {
    return this.compactNullableString(value);
  }

  /** i32 length + bytes; null is -1. */
  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  bytes(value: Buffer): this {
    return this.nullableBytes(value);
  }

  compactNullableBytes(value: Buffer | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).raw(value);
  }

  compactBytes(value: Buffer): this {
    return this.compactNullableBytes(value);
  }

  /** i32 count, then each item written by `write`; null is -1. */
  nullableArray<T>(items: readonly T[] | null, write: (encoder: Encoder, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  array<T>(items: readonly T[], write: (encoder: Encoder, item: T) => void): this {
    return this.nullableArray(items, write);
  }

  compactNullableArray<T>(items: readonly T[] | null, write: (encoder: Encoder, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) write(this, item);
    return this;
  }

  compactArray<T>(items: readonly T[], write: (encoder: Encoder, item: T) => void): this {
    return this.compactNullableArray(items, write);
  }

  int32Array(items: readonly number[]): this {
    return this.array(items, writeInt32);
  }

  stringArray(items: readonly string[]): this {
    return this.array(items, writeString);
  }

  /** A tagged-field buffer; we write no tagged fields, so it is the empty one. */
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** Overwrites an int32 written earlier, e.g. the frame size once the body is known. */
  patchInt32(at: number, value: number): this {
    const first = this.chunks[0] ?? this.buffer.subarray(this.segmentStart, this.position);
    if (at + 4 > first.length) throw new RangeError(`cannot patch at ${at}: not in the first chunk`);
    first.writeInt32BE(value, at);
    return this;
  }

  /** The bytes written, as a list of chunks to write in order (no copy of large byte fields). */
  toChunks(): Buffer[] {
    if (this.position === this.segmentStart) return [...this.chunks];
    return [...this.chunks, this.buffer.subarray(this.segmentStart, this.position)];
  }

  /** The bytes written as one Buffer (joins chunks when there are several). */
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    if (chunks.length === 1) return chunks[0] as Buffer;
    return Buffer.concat(chunks, this.length);
  }
}

function writeInt32(encoder: Encoder, value: number): void {
  encoder.int32(value);
}

function writeString(encoder: Encoder, value: string): void {
  encoder.string(value);
}
