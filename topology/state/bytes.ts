/**
 * Binary keys as Map keys: a latin1 string has one UTF-16 code unit per
 * byte, so it is a lossless Map key whose `<` order is unsigned byte order.
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import { readInt64, SHORT_STRING_BYTES, shortLatin1String, writeInt64 } from '../serde/serde.ts';

export function keyId(key: Buffer): string {
  const n = key.length;
  // A short key is converted in JavaScript: cheaper than the call into C++ (see utf8String).
  return n > SHORT_STRING_BYTES ? key.toString('latin1') : shortLatin1String(key, n);
}

/** keyId of the last buffer asked about, kept: a read and then a write of one key convert it once. */
export class KeyIdCache {
  private lastKey: Buffer | null = null;
  private lastId = '';

  of(key: Buffer): string {
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastId = keyId(key);
    }
    return this.lastId;
  }
}

export function keyFromId(id: string): Buffer {
  return Buffer.from(id, 'latin1');
}

/** [prefix][int64 BE] */
export function withTimestamp(prefix: Buffer, timestamp: number): Buffer {
  const out = Buffer.allocUnsafe(prefix.length + 8);
  prefix.copy(out, 0);
  writeInt64(out, prefix.length, timestamp);
  return out;
}

/**
 * Window store keys as Kafka Streams writes them to changelogs:
 * [key][window start: int64][sequence number: int32].
 */
export function windowStoreKey(key: Buffer, windowStart: number, seqnum: number): Buffer {
  const n = key.length;
  const out = Buffer.allocUnsafe(n + 12);
  copyBytes(key, out, 0);
  writeInt64(out, n, windowStart);
  out[n + 8] = seqnum >>> 24;
  out[n + 9] = seqnum >>> 16;
  out[n + 10] = seqnum >>> 8;
  out[n + 11] = seqnum;
  return out;
}

/** Copies all of `source` into `target` at `at`; Buffer#copy costs more than a byte loop for a short key. */
export function copyBytes(source: Buffer, target: Buffer, at: number): void {
  const n = source.length;
  if (n > 64) source.copy(target, at);
  else for (let i = 0; i < n; i++) target[at + i] = source[i] as number;
}

export function parseWindowStoreKey(bytes: Buffer): { key: Buffer; windowStart: number; seqnum: number } {
  const keyLength = bytes.length - 12;
  return {
    key: bytes.subarray(0, keyLength),
    windowStart: readInt64(bytes, keyLength),
    seqnum: bytes.readInt32BE(keyLength + 8),
  };
}

/** Session store keys: [key][end: int64][start: int64]. */
export function sessionStoreKey(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 16);
  copyBytes(key, out, 0);
  writeInt64(out, key.length, end);
  writeInt64(out, key.length + 8, start);
  return out;
}

export function parseSessionStoreKey(bytes: Buffer): { key: Buffer; start: number; end: number } {
  const keyLength = bytes.length - 16;
  return {
    key: bytes.subarray(0, keyLength),
    end: readInt64(bytes, keyLength),
    start: readInt64(bytes, keyLength + 8),
  };
}

/** Smallest key greater than every key starting with `prefix`, or null when there is none (all 0xff). */
export function prefixUpperBound(prefix: Buffer): Buffer | null {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i] = (out[i] as number) + 1;
      return out.subarray(0, i + 1);
    }
  }
  return null;
}

/** Binary search: first index in a sorted array whose value is >= target. */
export function lowerBound<T>(sorted: readonly T[], target: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
