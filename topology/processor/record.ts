/**
 * A record as processors see it: key, value, timestamp and headers. Records
 * are immutable; `withKey`/`withValue`/`withTimestamp` return a copy, so a
 * processor can forward a changed record without touching what its parent
 * still holds.
 */

export type Headers = ReadonlyArray<{ readonly key: string; readonly value: Buffer | null }>;

export const NO_HEADERS: Headers = Object.freeze([]) as Headers;

export class Record<K, V> {
  constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: Headers = NO_HEADERS,
  ) {}

  withKey<K2>(key: K2): Record<K2, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }

  withValue<V2>(value: V2): Record<K, V2> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }
}

/** Where the record being processed came from; absent during punctuation. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
