/**
 * Many persistent queries read one source (every metric reads the counted
 * votes): each query consumes the topic itself, as in ksqlDB, but they run in
 * one process and should not each pay to decode the same record. A source's
 * value serde is shared by every query reading that source
 * (`sourceValueSerde` in the planner) and remembers the rows of the records
 * it decoded last, keyed by their bytes: the same bytes are the same row, so
 * a record that ten queries read is decoded once, whichever consumer's
 * buffer it came in (each query's consumer has its own copy of the bytes).
 *
 * A remembered row is handed to every query, so it is frozen, deeply: a
 * processor that changed it in place would throw instead of corrupting
 * another query's input. Rows holding values that cannot be frozen (Buffers,
 * Maps, class instances) are decoded for each reader, as before.
 */
import type { Serde } from '../../topology/index.ts';
import type { Row } from '../types/schema.ts';

/** Rows remembered per source: two generations of this many, the older dropped when the newer fills. */
const GENERATION_SIZE = 4096;
/** Larger records are decoded for each reader: the memory of remembering them outweighs the saving. */
const MAX_REMEMBERED_BYTES = 4096;

/**
 * `shared`: whether more than one reader decodes through this serde now; while
 * not, records are decoded for their one reader as by the inner serde (there
 * is nothing to share, so nothing to remember or freeze).
 */
export function sharedDecoding(
  serde: Serde<Row>,
  generationSize = GENERATION_SIZE,
  shared: () => boolean = () => true,
): Serde<Row> {
  let newer = new Map<string, Row>();
  let older = new Map<string, Row>();
  // Readers in one process often get the very same buffer one after another (the test driver's pipeline).
  let lastBytes: Buffer | null = null;
  let lastRow: Row | null = null;
  return {
    serialize: (topic, row) => serde.serialize(topic, row),
    deserialize: (topic, bytes) => {
      if (bytes === null || bytes.length > MAX_REMEMBERED_BYTES || !shared()) return serde.deserialize(topic, bytes);
      if (bytes === lastBytes) return lastRow;
      // latin1 maps each byte to one character: equal keys are equal bytes.
      const text = bytes.toString('latin1');
      let row = newer.get(text) ?? older.get(text);
      if (row === undefined) {
        const decoded = serde.deserialize(topic, bytes);
        if (decoded === null || !isPlainData(decoded)) return decoded;
        row = freezeDeeply(decoded);
      }
      if (newer.size >= generationSize) {
        older = newer;
        newer = new Map();
      }
      newer.set(text, row);
      lastBytes = bytes;
      lastRow = row;
      return row;
    },
  };
}

/** Plain data all the way down: primitives, plain objects and arrays (what freezing protects). */
function isPlainData(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) if (!isPlainData((value as Record<string, unknown>)[key])) return false;
  return true;
}

function freezeDeeply<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const key in value) freezeDeeply(value[key]);
    Object.freeze(value);
  }
  return value;
}
