/**
 * The consumer lag of the Kafka Connect sink: for each consumer group named
 * `connect-<connector>` (the groups sink tasks join), the records on its
 * topics not yet committed (high watermark minus committed offset, summed).
 * Polled in the background with a kafkajs admin client; a broker that cannot
 * be reached makes the report `unknown` with the reason, never an error.
 */
import { type Admin, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from '../../logging/index.ts';

export interface GroupLag {
  group: string;
  lag: number;
  topics: string[];
}

export type LagReport =
  | { state: 'known'; at: number; groups: GroupLag[]; total: number }
  | { state: 'unknown'; at: number; reason: string };

export interface KafkaLagProbeOptions {
  kafka: KafkaConfig;
  logger: Logger;
  /** Consumer groups whose name starts with this are the sink's (default `connect-`). */
  groupPrefix?: string;
  intervalMs?: number;
  /** How long one probe may take before the report says unknown. */
  timeoutMs?: number;
}

export class KafkaLagProbe {
  readonly #options: Required<Omit<KafkaLagProbeOptions, 'kafka' | 'logger'>> & KafkaLagProbeOptions;
  readonly #kafka: Kafka;
  #admin?: Admin;
  #report: LagReport = { state: 'unknown', at: Date.now(), reason: 'not measured yet' };
  #timer?: NodeJS.Timeout;
  #probing = false;
  #stopped = false;

  constructor(options: KafkaLagProbeOptions) {
    this.#options = { groupPrefix: 'connect-', intervalMs: 5000, timeoutMs: 4000, ...options };
    this.#kafka = new Kafka({
      ...options.kafka,
      clientId: `${options.kafka.clientId ?? 'tally'}-dashboard`,
      logLevel: logLevel.NOTHING,
      connectionTimeout: Math.min(3000, this.#options.timeoutMs),
      requestTimeout: this.#options.timeoutMs,
      retry: { retries: 0 },
    });
  }

  get report(): LagReport {
    return this.#report;
  }

  start(): void {
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.disconnect().catch(() => {});
  }

  /** Measures once; resolves with the new report (also kept in `report`). */
  async probe(): Promise<LagReport> {
    if (this.#probing || this.#stopped) return this.#report;
    this.#probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from Kafka in ${this.#options.timeoutMs} ms`)),
          this.#options.timeoutMs,
        );
      });
      this.#report = await Promise.race([this.#measure(), timeout]);
    } catch (error) {
      this.#report = { state: 'unknown', at: Date.now(), reason: (error as Error).message };
      // A fresh connection next time: a half-open one would fail the same way.
      const admin = this.#admin;
      this.#admin = undefined;
      await admin?.disconnect().catch(() => {});
      this.#options.logger.debug({ err: error }, 'consumer lag unknown');
    } finally {
      clearTimeout(timer);
      this.#probing = false;
    }
    return this.#report;
  }

  async #measure(): Promise<LagReport> {
    if (!this.#admin) {
      const admin = this.#kafka.admin();
      await admin.connect();
      this.#admin = admin;
    }
    const admin = this.#admin;
    const { groups } = await admin.listGroups();
    // A Connect worker's own group (protocol type `connect`) holds no offsets: only consumer groups count.
    const sinkGroups = groups
      .filter((g) => g.groupId.startsWith(this.#options.groupPrefix) && g.protocolType !== 'connect')
      .map((g) => g.groupId)
      .sort();
    const highWatermarks = new Map<string, Map<number, number>>();
    const result: GroupLag[] = [];
    for (const group of sinkGroups) {
      const offsets = await admin.fetchOffsets({ groupId: group });
      let lag = 0;
      for (const { topic, partitions } of offsets) {
        let highs = highWatermarks.get(topic);
        if (!highs) {
          highs = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
          highWatermarks.set(topic, highs);
        }
        for (const { partition, offset } of partitions) {
          const committed = Number(offset);
          const high = highs.get(partition) ?? 0;
          // -1: nothing committed yet, so the whole partition is behind (its low watermark is ignored).
          lag += Math.max(0, high - Math.max(committed, 0));
        }
      }
      result.push({ group, lag, topics: offsets.map((o) => o.topic).sort() });
    }
    return { state: 'known', at: Date.now(), groups: result, total: result.reduce((sum, g) => sum + g.lag, 0) };
  }
}
