/**
 * Streams settings a persistent query takes from the properties in force
 * when it was created (SET in a script, or a request's streamsProperties),
 * as ksqlDB passes them on to the query's Kafka Streams config.
 */

/** Kafka Streams' record cache size: the KIP-770 name first, then the deprecated one; also with ksqlDB's `ksql.streams.` prefix. */
const CACHE_SETTINGS = ['statestore.cache.max.bytes', 'cache.max.bytes.buffering'];

/** The record cache size a query's properties ask for, or undefined when they say nothing (the runtime's default). */
export function cacheMaxBytesOf(properties: Readonly<Record<string, unknown>>): number | undefined {
  for (const name of CACHE_SETTINGS) {
    for (const key of [name, `ksql.streams.${name}`]) {
      const value = properties[key];
      if (value === undefined || value === null || value === '') continue;
      const bytes = Number(value);
      if (!Number.isInteger(bytes) || bytes < 0) {
        throw new Error(`${key} must be a whole number of bytes, not ${JSON.stringify(value)}`);
      }
      return bytes;
    }
  }
  return undefined;
}

/** Where a query reads a source from without committed offsets (`auto.offset.reset`), or undefined when unset. */
export function autoOffsetResetOf(properties: Readonly<Record<string, unknown>>): 'earliest' | 'latest' | undefined {
  const value = properties['auto.offset.reset'] ?? properties['ksql.streams.auto.offset.reset'];
  if (value === undefined || value === null || value === '') return undefined;
  const reset = String(value).toLowerCase().trim();
  if (reset !== 'earliest' && reset !== 'latest') {
    throw new Error(
      `Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`,
    );
  }
  return reset;
}
