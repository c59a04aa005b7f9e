/**
 * Serdes for the engine's own topics and stores (repartition topics,
 * changelogs, aggregation state), which only the engine reads: keys as JSON
 * (byte-equal keys are equal keys in the stores), values through V8's
 * structured serialization, which keeps Buffers and undefined intact.
 */
import v8 from 'node:v8';
import type { Serde } from '../../topology/index.ts';

export const internalKeySerde: Serde<unknown> = {
  serialize: (_topic, value) => (value === null ? null : Buffer.from(JSON.stringify(value), 'utf8')),
  deserialize: (_topic, bytes) => (bytes === null ? null : JSON.parse(bytes.toString('utf8'))),
};

export const internalValueSerde: Serde<unknown> = {
  serialize: (_topic, value) => (value === null ? null : v8.serialize(value)),
  deserialize: (_topic, bytes) => {
    if (bytes === null) return null;
    const v = v8.deserialize(bytes);
    return restoreBuffers(v);
  },
};

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
