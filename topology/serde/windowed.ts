/**
 * Windowed keys, and the serdes Kafka Streams writes them with:
 *
 *   time window:    [key bytes][window start: int64 BE]
 *   session window: [key bytes][window end: int64 BE][window start: int64 BE]
 *
 * A time-window end is not on the wire: the reader knows the window size.
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import type { Headers } from '../processor/record.ts';
import { readInt64, type Serde, Serdes, SerializationError, utf8Length, writeInt64, writeUtf8 } from './serde.ts';

/** A window's bounds in epoch milliseconds: time windows are [start, end), session windows [start, end]. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

export function windowed<K>(key: K, start: number, end: number): Windowed<K> {
  return { key, window: { start, end } };
}

/** What a time-windowed key's bytes end with: its window start. */
export const TIME_WINDOW_BYTES = 8;
/** What a session-windowed key's bytes end with: its window end, then its start. */
export const SESSION_WINDOW_BYTES = 16;

/** Reads and writes time-windowed keys; `windowSizeMs` restores the window end when reading. */
export function timeWindowedSerde<K>(inner: Serde<K>, windowSizeMs = Number.MAX_SAFE_INTEGER): Serde<Windowed<K>> {
  const stringKeys = inner === (Serdes.String() as Serde<unknown>);
  return {
    windowBytes: TIME_WINDOW_BYTES,
    serialize(topic: string, value: Windowed<K> | null, headers?: Headers): Buffer | null {
      if (value === null) return null;
      if (stringKeys && typeof value.key === 'string') {
        // A string key is written straight into the windowed key: one buffer instead of two.
        const length = utf8Length(value.key);
        const out = Buffer.allocUnsafe(length + 8);
        writeUtf8(value.key, out, 0);
        writeInt64(out, length, value.window.start);
        return out;
      }
      const key = inner.serialize(topic, value.key, headers) ?? EMPTY;
      const out = Buffer.allocUnsafe(key.length + 8);
      key.copy(out, 0);
      writeInt64(out, key.length, value.window.start);
      return out;
    },
    deserialize(topic: string, bytes: Buffer | null, headers?: Headers): Windowed<K> | null {
      if (bytes === null) return null;
      if (bytes.length < 8) throw new SerializationError(`time-windowed key on topic ${topic} is shorter than 8 bytes`);
      const start = readInt64(bytes, bytes.length - 8);
      const key = inner.deserialize(topic, bytes.subarray(0, bytes.length - 8), headers) as K;
      return windowed(key, start, Math.min(Number.MAX_SAFE_INTEGER, start + windowSizeMs));
    },
  };
}

export function sessionWindowedSerde<K>(inner: Serde<K>): Serde<Windowed<K>> {
  return {
    windowBytes: SESSION_WINDOW_BYTES,
    serialize(topic: string, value: Windowed<K> | null, headers?: Headers): Buffer | null {
      if (value === null) return null;
      const key = inner.serialize(topic, value.key, headers) ?? EMPTY;
      const out = Buffer.allocUnsafe(key.length + 16);
      key.copy(out, 0);
      writeInt64(out, key.length, value.window.end);
      writeInt64(out, key.length + 8, value.window.start);
      return out;
    },
    deserialize(topic: string, bytes: Buffer | null, headers?: Headers): Windowed<K> | null {
      if (bytes === null) return null;
      if (bytes.length < 16)
        throw new SerializationError(`session-windowed key on topic ${topic} is shorter than 16 bytes`);
      const end = readInt64(bytes, bytes.length - 16);
      const start = readInt64(bytes, bytes.length - 8);
      const key = inner.deserialize(topic, bytes.subarray(0, bytes.length - 16), headers) as K;
      return windowed(key, start, end);
    },
  };
}

const EMPTY = Buffer.alloc(0);
