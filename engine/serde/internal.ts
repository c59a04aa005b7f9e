/**
 * Serdes for the engine's own topics and stores (repartition topics,
 * changelogs, aggregation state), which only the engine reads: keys as JSON
 * (byte-equal keys are equal keys in the stores); values as JSON when JSON
 * keeps them exactly (most rows: strings, finite numbers, booleans, nulls),
 * else through V8's structured serialization, which keeps Buffers, undefined,
 * Maps and the rest intact. JSON is about three times cheaper, and V8's
 * format starts with a 0xFF byte that JSON text never does, so reading tells
 * them apart (and changelogs written before keep reading).
 */
import v8 from 'node:v8';
import type { Serde } from '../../topology/index.ts';

export const internalKeySerde: Serde<unknown> = {
  serialize: (_topic, value) => (value === null ? null : Buffer.from(JSON.stringify(value), 'utf8')),
  deserialize: (_topic, bytes) => (bytes === null ? null : JSON.parse(bytes.toString('utf8'))),
};

const V8_VERSION_TAG = 0xff;

export const internalValueSerde: Serde<unknown> = {
  serialize: (_topic, value) => {
    if (value === null) return null;
    return keptByJson(value) ? Buffer.from(JSON.stringify(value), 'utf8') : v8.serialize(value);
  },
  deserialize: (_topic, bytes) => {
    if (bytes === null) return null;
    if (bytes[0] !== V8_VERSION_TAG) return JSON.parse(bytes.toString('utf8'));
    return restoreBuffers(v8.deserialize(bytes));
  },
};

/** True when JSON.parse(JSON.stringify(v)) equals v: plain objects and arrays of strings, finite numbers (not -0), booleans and nulls. */
export function keptByJson(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !keptByJson(v[i])) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(v);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in v) if (!keptByJson((v as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** V8 gives Uint8Arrays back for Buffers; the engine works with Buffers. */
function restoreBuffers(v: unknown): unknown {
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restoreBuffers(v[i]);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = restoreBuffers(o[k]);
  }
  return v;
}

/** Rows a table's store serde remembers: two generations of this many, the older dropped when the newer fills. */
const REMEMBERED_ROWS = 4096;
/** Larger rows are decoded at each read: the memory of remembering them outweighs the saving. */
const MAX_REMEMBERED_BYTES = 16384;

/**
 * The internal value serde for the store of a table a query joins with
 * (each source table's own store): a dimension row (a candidate, a polling
 * station) is read back and parsed for every vote that joins it. Rows are
 * remembered by their bytes (as latin1 text: equal keys are equal bytes;
 * the store hands back a new view of its bytes at each read, so not by
 * identity). The second read of the same bytes decodes them once more and
 * keeps the row, frozen deeply (it is shared by every later read: a
 * processor that changed it would throw rather than corrupt it); later
 * reads get it without parsing. A row read once (a voter, read for that
 * voter's vote) is never frozen or kept. Writing is the internal value
 * serde's, byte for byte.
 */
export function rememberingValueSerde(generationSize = REMEMBERED_ROWS): Serde<unknown> {
  // null: read once, not decoded for keeping yet.
  let newer = new Map<string, unknown>();
  let older = new Map<string, unknown>();
  const remember = (text: string, row: unknown): void => {
    if (newer.size >= generationSize) {
      older = newer;
      newer = new Map();
    }
    newer.set(text, row);
  };
  return {
    serialize: internalValueSerde.serialize,
    deserialize: (topic, bytes) => {
      if (bytes === null || bytes[0] === V8_VERSION_TAG || bytes.length > MAX_REMEMBERED_BYTES) {
        return internalValueSerde.deserialize(topic, bytes);
      }
      const text = bytes.toString('latin1');
      let kept = newer.get(text);
      if (kept === undefined) {
        kept = older.get(text);
        if (kept === undefined) {
          // The first read.
          remember(text, null);
          return JSON.parse(bytes.toString('utf8'));
        }
        if (kept !== null) remember(text, kept);
      }
      if (kept !== null) return kept;
      // The second read: kept from now on.
      const row = freezeDeeply(JSON.parse(bytes.toString('utf8')));
      remember(text, row);
      return row;
    },
  };
}

/**
 * The internal value serde for values that are mostly one constant (the
 * pre-aggregate row of aggregates without arguments, COUNT(*)): the
 * constant, frozen deeply, is written as bytes made once and read back as
 * itself; any other value as by the internal value serde. The bytes are the
 * internal value serde's.
 */
export function constantValueSerde<T>(constant: T): { serde: Serde<unknown>; value: T } {
  const value = freezeDeeply(constant);
  const bytes = internalValueSerde.serialize('', value) as Buffer;
  const serde: Serde<unknown> = {
    serialize: (topic, v) => (v === value ? bytes : internalValueSerde.serialize(topic, v)),
    deserialize: (topic, b) =>
      b !== null && b.length === bytes.length && b.equals(bytes) ? value : internalValueSerde.deserialize(topic, b),
  };
  return { serde, value };
}

function freezeDeeply<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const key in value) freezeDeeply(value[key]);
    Object.freeze(value);
  }
  return value;
}
