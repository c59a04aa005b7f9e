/**
 * A table update as it travels between table processors: the new value and
 * (when a downstream operator asked for it) the value it replaced. Both null
 * is never forwarded; new null is a delete.
 */

import type { Serde } from '../serde/serde.ts';

export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

export function change<V>(newValue: V | null, oldValue: V | null): Change<V> {
  return { newValue, oldValue };
}

/**
 * Changes on repartition topics (table groupBy): [flags][new length: int32][new][old].
 * flags bit 0: new present, bit 1: old present. Internal to Tally's runtime.
 */
export function changeSerde<V>(inner: Serde<V>): Serde<Change<V>> {
  return {
    serialize(topic, value) {
      if (value === null) return null;
      const n = value.newValue === null ? null : inner.serialize(topic, value.newValue);
      const o = value.oldValue === null ? null : inner.serialize(topic, value.oldValue);
      const out = Buffer.allocUnsafe(5 + (n?.length ?? 0) + (o?.length ?? 0));
      out[0] = (n !== null ? 1 : 0) | (o !== null ? 2 : 0);
      out.writeInt32BE(n?.length ?? 0, 1);
      n?.copy(out, 5);
      o?.copy(out, 5 + (n?.length ?? 0));
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      const flags = bytes[0] ?? 0;
      const newLength = bytes.readInt32BE(1);
      const newValue = flags & 1 ? inner.deserialize(topic, bytes.subarray(5, 5 + newLength)) : null;
      const oldValue = flags & 2 ? inner.deserialize(topic, bytes.subarray(5 + newLength)) : null;
      return { newValue, oldValue };
    },
  };
}
