/**
 * Typed views of driver topics: an input topic serializes what the test
 * pipes in (the topology's sources deserialize it again, as a consumer
 * would); an output topic reads and deserializes what the topology wrote.
 */
import { type Headers, NO_HEADERS } from '../processor/record.ts';
import type { Serde } from '../serde/serde.ts';
import type { TopologyTestDriver } from './driver.ts';

export interface TestRecord<K, V> {
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

export class TestInputTopic<K, V> {
  constructor(
    private readonly driver: TopologyTestDriver,
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private currentTime: number,
    private readonly autoAdvanceMs: number,
  ) {}

  /** Without a timestamp, the topic's current time is used and then advanced by autoAdvanceMs. */
  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = NO_HEADERS): void {
    let ts = timestamp;
    if (ts === undefined) {
      ts = this.currentTime;
      this.currentTime += this.autoAdvanceMs;
    }
    this.driver.pipeRaw(
      this.name,
      this.keySerde.serialize(this.name, key, headers),
      this.valueSerde.serialize(this.name, value, headers),
      ts,
      headers,
    );
  }

  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeInput(null, value, timestamp);
  }

  pipeRecordList(records: Iterable<{ key?: K | null; value: V | null; timestamp?: number; headers?: Headers }>): void {
    for (const r of records) this.pipeInput(r.key ?? null, r.value, r.timestamp, r.headers);
  }

  advanceTime(ms: number): void {
    this.currentTime += ms;
  }
}

export class TestOutputTopic<K, V> {
  constructor(
    private readonly driver: TopologyTestDriver,
    readonly name: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  readRecord(): TestRecord<K, V> {
    const log = this.driver.topicLog(this.name);
    if (log.readPosition >= log.size) throw new Error(`no record left to read on topic ${this.name}`);
    const raw = log.get(log.readPosition++);
    return {
      key: this.keySerde.deserialize(this.name, raw.key, raw.headers),
      value: this.valueSerde.deserialize(this.name, raw.value, raw.headers),
      timestamp: raw.timestamp,
      headers: raw.headers,
    };
  }

  readKeyValue(): { key: K | null; value: V | null } {
    const r = this.readRecord();
    return { key: r.key, value: r.value };
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (!this.isEmpty()) out.push(this.readRecord());
    return out;
  }

  readKeyValuesToList(): { key: K | null; value: V | null }[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }

  readValuesToList(): (V | null)[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** The table the topic describes: last value per key, tombstones removing keys. */
  readKeyValuesToMap(): Map<K | null, V> {
    const out = new Map<K | null, V>();
    for (const r of this.readRecordsToList()) {
      if (r.value === null) out.delete(r.key);
      else out.set(r.key, r.value);
    }
    return out;
  }

  getQueueSize(): number {
    const log = this.driver.topicLog(this.name);
    return log.size - log.readPosition;
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }
}
