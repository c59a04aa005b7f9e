/**
 * One reader of a source's topic shared by every push query on that source:
 * each record is fetched and decoded once, then handed to each subscriber
 * (which filters and projects it). A thousand subscribers cost one consumer,
 * not a thousand consumer groups. The feed stops with its last subscriber.
 */
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from '../metastore/metastore.ts';
import { type SourceDecoder, type SourceRecord, sourceDecoder } from './source-records.ts';
import type { TopicReader } from './topic-reader.ts';

export interface FeedSubscriber {
  /**
   * A record of the source, decoded (null when it cannot be read) and as
   * fetched; return false to be removed (the query has ended).
   */
  onRecord(record: SourceRecord | null, partition: number, message: KafkaMessage): boolean;
}

export class SourceFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly decode: SourceDecoder;
  private reader: TopicReader | null = null;
  private stopping = false;
  /**
   * A feed of its own (from earliest) holds what it reads until its query
   * subscribes: a query on several sources subscribes once all their feeds
   * have started, and must not lose what the first ones read meanwhile.
   */
  private held: { partition: number; messages: readonly KafkaMessage[] }[] | null;

  constructor(
    readonly source: DataSource,
    private readonly onEmpty: (feed: SourceFeed) => void,
    holdUntilSubscribed = false,
  ) {
    this.decode = sourceDecoder(source);
    this.held = holdUntilSubscribed ? [] : null;
  }

  attach(reader: TopicReader): void {
    this.reader = reader;
  }

  /** True once the feed has stopped or is stopping: it takes no new subscribers. */
  get stopped(): boolean {
    return this.stopping;
  }

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: FeedSubscriber): void {
    this.subscribers.add(subscriber);
    const held = this.held;
    this.held = null;
    for (const batch of held ?? []) this.deliver(batch.partition, batch.messages);
  }

  unsubscribe(subscriber: FeedSubscriber): void {
    if (this.subscribers.delete(subscriber) && this.subscribers.size === 0) this.onEmpty(this);
  }

  deliver(partition: number, messages: readonly KafkaMessage[]): void {
    if (this.held !== null) {
      this.held.push({ partition, messages });
      return;
    }
    for (const message of messages) {
      const record = this.decode(partition, message);
      for (const subscriber of this.subscribers) {
        if (!subscriber.onRecord(record, partition, message)) this.unsubscribe(subscriber);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.subscribers.clear();
    await this.reader?.stop();
  }
}
