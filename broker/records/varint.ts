/**
 * Zigzag varints as used inside v2 records (Kafka's ByteUtils.writeVarint /
 * writeVarlong): the value is zigzag-mapped so small negatives stay short,
 * then written 7 bits at a time, low group first, high bit = "more follows".
 *
 * Varlongs are carried in JS numbers: exact up to 2^53, which covers
 * millisecond timestamp deltas by a wide margin.
 */

/** Thrown when a varint runs past the end of its buffer or is over-long. */
export class VarintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VarintError';
  }
}

export interface VarintRead {
  value: number;
  /** Position just after the varint. */
  next: number;
}

function zigzagEncode(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function zigzagDecode(raw: number): number {
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Bytes the zigzag varint (or varlong) of `value` takes. */
export function sizeOfVarint(value: number): number {
  let raw = zigzagEncode(value);
  let size = 1;
  while (raw >= 0x80) {
    raw = Math.floor(raw / 0x80);
    size++;
  }
  return size;
}

/** Writes `value` at `position`; returns the position after it. */
export function writeVarint(buffer: Buffer, position: number, value: number): number {
  let raw = zigzagEncode(value);
  while (raw >= 0x80) {
    buffer[position++] = (raw % 0x80) | 0x80;
    raw = Math.floor(raw / 0x80);
  }
  buffer[position++] = raw;
  return position;
}

/** Reads a zigzag varint or varlong (at most 10 bytes) starting at `position`. */
export function readVarint(buffer: Buffer, position: number): VarintRead {
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const byte = buffer[position + i];
    if (byte === undefined) throw new VarintError(`varint runs past the end of the buffer at byte ${position}`);
    raw += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value: zigzagDecode(raw), next: position + i + 1 };
    scale *= 0x80;
  }
  throw new VarintError(`varint longer than 10 bytes at byte ${position}`);
}
