/**
 * Reads Kafka's wire types from a Buffer, advancing an offset. Every read
 * checks bounds and throws MalformedFrameError instead of returning garbage, so
 * a hostile or buggy peer can only get its connection closed. Byte fields are
 * returned as slices of the input (no copy): records stay zero-copy.
 */
import { MalformedFrameError } from '../errors.ts';

const NO_FIELD = undefined;

export class Decoder {
  offset: number;
  readonly end: number;

  constructor(
    readonly buffer: Buffer,
    offset = 0,
    end = buffer.length,
  ) {
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless exactly the whole buffer was consumed: trailing bytes mean a layout mismatch. */
  assertFullyConsumed(what: string): void {
    if (this.offset !== this.end) {
      throw new MalformedFrameError(
        `${this.end - this.offset} unexpected trailing bytes after ${what}`,
        NO_FIELD,
        this.offset,
      );
    }
  }

  private need(bytes: number, field: string | undefined): number {
    const at = this.offset;
    if (at + bytes > this.end) {
      throw new MalformedFrameError(`truncated: need ${bytes} bytes, have ${this.end - at}`, field, at);
    }
    this.offset = at + bytes;
    return at;
  }

  int8(field?: string): number {
    return this.buffer.readInt8(this.need(1, field));
  }

  int16(field?: string): number {
    return this.buffer.readInt16BE(this.need(2, field));
  }

  int32(field?: string): number {
    return this.buffer.readInt32BE(this.need(4, field));
  }

  uint32(field?: string): number {
    return this.buffer.readUInt32BE(this.need(4, field));
  }

  int64(field?: string): bigint {
    return this.buffer.readBigInt64BE(this.need(8, field));
  }

  boolean(field?: string): boolean {
    return this.buffer[this.need(1, field)] !== 0;
  }

  /** Unsigned LEB128 varint of at most 32 bits (compact lengths, tags). */
  uvarint(field?: string): number {
    const start = this.offset;
    let result = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer[this.need(1, field)] as number;
      // Multiplication, not <<, so bit 31 does not turn the result negative.
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    throw new MalformedFrameError('unsigned varint longer than 32 bits', field, start);
  }

  /** Zigzag-encoded signed 32-bit varint (record fields; never compact lengths). */
  varint(field?: string): number {
    const u = this.uvarint(field);
    return (u >>> 1) ^ -(u & 1);
  }

  /** Unsigned LEB128 varint of at most 64 bits. */
  uvarlong(field?: string): bigint {
    const start = this.offset;
    let result = 0n;
    for (let shift = 0n; shift <= 63n; shift += 7n) {
      const byte = this.buffer[this.need(1, field)] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffffffffffffn) break;
        return result;
      }
    }
    throw new MalformedFrameError('unsigned varint longer than 64 bits', field, start);
  }

  /** Zigzag-encoded signed 64-bit varint. */
  varlong(field?: string): bigint {
    const u = this.uvarlong(field);
    return (u >> 1n) ^ -(u & 1n);
  }

  uuid(field?: string): Buffer {
    const at = this.need(16, field);
    return this.buffer.subarray(at, at + 16);
  }

  private utf8(length: number, field: string | undefined): string {
    const at = this.need(length, field);
    return this.buffer.toString('utf8', at, at + length);
  }

  private slice(length: number, field: string | undefined): Buffer {
    const at = this.need(length, field);
    return this.buffer.subarray(at, at + length);
  }

  /** i16 length + UTF-8; -1 is null. */
  nullableString(field?: string): string | null {
    const start = this.offset;
    const length = this.int16(field);
    if (length === -1) return null;
    if (length < 0) throw new MalformedFrameError(`negative string length ${length}`, field, start);
    return this.utf8(length, field);
  }

  string(field?: string): string {
    const start = this.offset;
    const value = this.nullableString(field);
    if (value === null) throw new MalformedFrameError('null in a non-nullable string', field, start);
    return value;
  }

  /** uvarint length N+1 + UTF-8; 0 is null. */
  compactNullableString(field?: string): string | null {
    const lengthPlusOne = this.uvarint(field);
    return lengthPlusOne === 0 ? null : this.utf8(lengthPlusOne - 1, field);
  }

  compactString(field?: string): string {
    const start = this.offset;
    const value = this.compactNullableString(field);
    if (value === null) throw new MalformedFrameError('null in a non-nullable compact string', field, start);
    return value;
  }

  /** i32 length + bytes; -1 is null. The result is a slice of the input. */
  nullableBytes(field?: string): Buffer | null {
    const start = this.offset;
    const length = this.int32(field);
    if (length === -1) return null;
    if (length < 0) throw new MalformedFrameError(`negative bytes length ${length}`, field, start);
    return this.slice(length, field);
  }

  bytes(field?: string): Buffer {
    const start = this.offset;
    const value = this.nullableBytes(field);
    if (value === null) throw new MalformedFrameError('null in non-nullable bytes', field, start);
    return value;
  }

  compactNullableBytes(field?: string): Buffer | null {
    const lengthPlusOne = this.uvarint(field);
    return lengthPlusOne === 0 ? null : this.slice(lengthPlusOne - 1, field);
  }

  compactBytes(field?: string): Buffer {
    const start = this.offset;
    const value = this.compactNullableBytes(field);
    if (value === null) throw new MalformedFrameError('null in non-nullable compact bytes', field, start);
    return value;
  }

  /** i32 count, -1 is null. Each element is read by `read`, which gets this decoder. */
  nullableArray<T>(read: (decoder: Decoder) => T, field?: string): T[] | null {
    const start = this.offset;
    const count = this.int32(field);
    if (count === -1) return null;
    return this.elements(count, read, field, start);
  }

  array<T>(read: (decoder: Decoder) => T, field?: string): T[] {
    const start = this.offset;
    const value = this.nullableArray(read, field);
    if (value === null) throw new MalformedFrameError('null in a non-nullable array', field, start);
    return value;
  }

  /** uvarint count N+1, 0 is null. */
  compactNullableArray<T>(read: (decoder: Decoder) => T, field?: string): T[] | null {
    const start = this.offset;
    const countPlusOne = this.uvarint(field);
    if (countPlusOne === 0) return null;
    return this.elements(countPlusOne - 1, read, field, start);
  }

  compactArray<T>(read: (decoder: Decoder) => T, field?: string): T[] {
    const start = this.offset;
    const value = this.compactNullableArray(read, field);
    if (value === null) throw new MalformedFrameError('null in a non-nullable compact array', field, start);
    return value;
  }

  private elements<T>(count: number, read: (decoder: Decoder) => T, field: string | undefined, start: number): T[] {
    // Every element takes at least one byte: a larger count is a lie, and must
    // not make us allocate a huge array.
    if (count < 0 || count > this.remaining) {
      throw new MalformedFrameError(`invalid array count ${count}`, field, start);
    }
    const items = new Array<T>(count);
    for (let i = 0; i < count; i++) items[i] = read(this);
    return items;
  }

  int32Array(field?: string): number[] {
    return this.array(readInt32, field);
  }

  stringArray(field?: string): string[] {
    return this.array(readString, field);
  }

  /**
   * A tagged-field buffer (flexible versions): uvarint count, then per field a
   * uvarint tag, a uvarint size and the data. `onTag` may read the fields it
   * knows from the sub-decoder it gets; the others are skipped, as the
   * protocol requires.
   */
  taggedFields(onTag?: (tag: number, field: Decoder) => void, field = 'tagged fields'): void {
    const count = this.uvarint(field);
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint(field);
      const size = this.uvarint(field);
      const at = this.need(size, field);
      onTag?.(tag, new Decoder(this.buffer, at, at + size));
    }
  }
}

function readInt32(decoder: Decoder): number {
  return decoder.int32();
}

function readString(decoder: Decoder): string {
  return decoder.string();
}
