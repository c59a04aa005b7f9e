/**
 * One record inside a v2 batch. Every length and delta is a zigzag varint
 * (see varint.ts); offsets and timestamps are deltas from the batch header.
 *
 * Record =>
 *   length          varint    bytes after this field
 *   attributes      int8      unused, 0
 *   timestampDelta  varlong   timestamp - batch baseTimestamp
 *   offsetDelta     varint    offset - batch baseOffset
 *   keyLength       varint    -1 = null key
 *   key             bytes
 *   valueLength     varint    -1 = null value (a tombstone)
 *   value           bytes
 *   headerCount     varint
 *   Header =>
 *     headerKeyLength    varint
 *     headerKey          utf-8 string
 *     headerValueLength  varint  -1 = null
 *     headerValue        bytes
 */
import { CorruptRecordError } from './errors.ts';
import { readVarint, sizeOfVarint, VarintError, writeVarint } from './varint.ts';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface BatchRecord {
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function sizeOfBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function bodySize(record: BatchRecord): number {
  let size =
    1 +
    sizeOfVarint(record.timestampDelta) +
    sizeOfVarint(record.offsetDelta) +
    sizeOfBytes(record.key) +
    sizeOfBytes(record.value) +
    sizeOfVarint(record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key);
    size += sizeOfVarint(keyLength) + keyLength + sizeOfBytes(header.value);
  }
  return size;
}

/** Bytes `record` takes once encoded, length prefix included. */
export function sizeOfRecord(record: BatchRecord): number {
  const body = bodySize(record);
  return sizeOfVarint(body) + body;
}

function writeBytes(buffer: Buffer, position: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buffer, position, -1);
  position = writeVarint(buffer, position, bytes.length);
  return position + bytes.copy(buffer, position);
}

/** Writes `record` at `position`; returns the position after it. */
export function writeRecord(buffer: Buffer, position: number, record: BatchRecord): number {
  position = writeVarint(buffer, position, bodySize(record));
  buffer.writeInt8(record.attributes, position++);
  position = writeVarint(buffer, position, record.timestampDelta);
  position = writeVarint(buffer, position, record.offsetDelta);
  position = writeBytes(buffer, position, record.key);
  position = writeBytes(buffer, position, record.value);
  position = writeVarint(buffer, position, record.headers.length);
  for (const header of record.headers) {
    const key = Buffer.from(header.key, 'utf8');
    position = writeBytes(buffer, position, key);
    position = writeBytes(buffer, position, header.value);
  }
  return position;
}

export function encodeRecords(records: readonly BatchRecord[]): Buffer {
  let size = 0;
  for (const record of records) size += sizeOfRecord(record);
  const buffer = Buffer.allocUnsafe(size);
  let position = 0;
  for (const record of records) position = writeRecord(buffer, position, record);
  return buffer;
}

class RecordReader {
  position: number;
  constructor(
    private readonly buffer: Buffer,
    position: number,
    private readonly end: number,
  ) {
    this.position = position;
  }
  varint(): number {
    const { value, next } = readVarint(this.buffer, this.position);
    if (next > this.end) throw new VarintError(`varint runs past the end of its record at byte ${this.position}`);
    this.position = next;
    return value;
  }
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    if (this.position + length > this.end) {
      throw new VarintError(`field of ${length} bytes runs past the end of its record at byte ${this.position}`);
    }
    const bytes = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return bytes;
  }
}

/**
 * Decodes `count` records from uncompressed records bytes. Keys, values and
 * header values are views into `data`, not copies.
 */
export function decodeRecords(data: Buffer, count: number): BatchRecord[] {
  const records: BatchRecord[] = [];
  let position = 0;
  try {
    for (let i = 0; i < count; i++) {
      const length = readVarint(data, position);
      const end = length.next + length.value;
      if (length.value < 1 || end > data.length) {
        throw new VarintError(`record ${i} declares ${length.value} bytes, ${data.length - length.next} remain`);
      }
      const reader = new RecordReader(data, length.next, end);
      const attributes = data.readInt8(reader.position++);
      const timestampDelta = reader.varint();
      const offsetDelta = reader.varint();
      const key = reader.bytes();
      const value = reader.bytes();
      const headerCount = reader.varint();
      const headers: RecordHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        const headerKey = reader.bytes();
        if (headerKey === null) throw new VarintError(`record ${i} has a header with a null key`);
        headers.push({ key: headerKey.toString('utf8'), value: reader.bytes() });
      }
      if (reader.position !== end) throw new VarintError(`record ${i} has ${end - reader.position} trailing bytes`);
      records.push({ attributes, timestampDelta, offsetDelta, key, value, headers });
      position = end;
    }
  } catch (error) {
    if (error instanceof VarintError)
      throw new CorruptRecordError('invalid-record', `Malformed record: ${error.message}`);
    throw error;
  }
  if (position !== data.length) {
    throw new CorruptRecordError(
      'invalid-record',
      `Malformed records: ${data.length - position} bytes left after the ${count} records the batch header declares`,
    );
  }
  return records;
}
