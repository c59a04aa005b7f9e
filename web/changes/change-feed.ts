/**
 * ChangeFeed: "table X changed" and "the set of tables changed", from
 * PostgreSQL itself, without polling the data.
 *
 * One dedicated connection LISTENs on `tally_changes` (see triggers.ts).
 * Notifications are coalesced per table: the first change is announced at
 * once, later ones at most every `minIntervalMs`, so a sink upserting
 * thousands of times a second costs a few re-renders a second.
 *
 * New tables: a cheap catalog check every `catalogIntervalMs` installs the
 * trigger on tables that lack it and announces a changed table set. (An event
 * trigger on CREATE TABLE would need a superuser; the sink's user is not one.)
 *
 * A lost connection is re-opened with backoff; since notifications sent
 * meanwhile are lost, a reconnect announces the table set as changed, which
 * redraws everything.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../../logging/index.ts';
import { CHANGES_CHANNEL, installChangeTriggers, schemaFingerprint } from './triggers.ts';

/**
 * `rows`: rows of `table` changed. `tables`: a table appeared, went or changed
 * shape. `catalog`: the tables of the schema, at every catalog check, so that
 * a listener can notice it showed a table that came and went between two checks.
 */
export type ChangeEvent = { kind: 'rows'; table: string } | { kind: 'tables' } | { kind: 'catalog'; tables: string[] };
export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeFeedOptions {
  databaseUrl: string;
  schema?: string;
  /** The shortest time between two announcements for one table. */
  minIntervalMs?: number;
  /** How often the catalog is checked for new, dropped or altered tables. */
  catalogIntervalMs?: number;
  logger: Logger;
}

interface TableTimer {
  lastAnnounced: number;
  pending?: NodeJS.Timeout;
}

export class ChangeFeed {
  readonly schema: string;
  readonly #options: Required<Omit<ChangeFeedOptions, 'schema'>>;
  readonly #listeners = new Set<ChangeListener>();
  readonly #tables = new Map<string, TableTimer>();
  #client?: pg.Client;
  #fingerprint?: string;
  #catalogTimer?: NodeJS.Timeout;
  #checking = false;
  #stopped = false;

  constructor(options: ChangeFeedOptions) {
    this.schema = options.schema ?? 'public';
    this.#options = { minIntervalMs: 250, catalogIntervalMs: 1000, ...options };
  }

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Connects, installs the triggers and starts listening; rejects when PostgreSQL cannot be reached. */
  async start(): Promise<void> {
    await this.#connect();
    this.#catalogTimer = setInterval(() => void this.#checkCatalog(), this.#options.catalogIntervalMs);
    this.#catalogTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#catalogTimer);
    for (const timer of this.#tables.values()) clearTimeout(timer.pending);
    this.#tables.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.databaseUrl,
      application_name: 'tally-dashboard-changes',
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    await client.connect();
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload) this.#touch(message.payload);
    });
    await installChangeTriggers(client, this.schema);
    await client.query(`LISTEN ${pg.escapeIdentifier(CHANGES_CHANNEL)}`);
    this.#fingerprint = (await schemaFingerprint(client, this.schema)).fingerprint;
    this.#client = client;
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#stopped || this.#client !== client) return;
    this.#client = undefined;
    this.#options.logger.warn({ err: error }, 'change feed lost its PostgreSQL connection; reconnecting');
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    for (let delay = 500; !this.#stopped; delay = Math.min(delay * 2, 10_000)) {
      await sleep(delay);
      if (this.#stopped) return;
      try {
        await this.#connect();
        this.#options.logger.info('change feed reconnected');
        this.#emit({ kind: 'tables' });
        return;
      } catch (error) {
        this.#options.logger.warn({ err: error, retryInMs: delay }, 'change feed cannot reach PostgreSQL');
      }
    }
  }

  async #checkCatalog(): Promise<void> {
    const client = this.#client;
    if (!client || this.#checking) return;
    this.#checking = true;
    try {
      await installChangeTriggers(client, this.schema);
      const { fingerprint, tables } = await schemaFingerprint(client, this.schema);
      if (fingerprint !== this.#fingerprint) {
        this.#fingerprint = fingerprint;
        this.#emit({ kind: 'tables' });
      }
      this.#emit({ kind: 'catalog', tables });
    } catch (error) {
      // A table dropped between the check and the CREATE TRIGGER, say: the next check retries.
      this.#options.logger.warn({ err: error }, 'catalog check failed');
    } finally {
      this.#checking = false;
    }
  }

  /** A notification for `table`: announce now, or once the table's interval has passed. */
  #touch(table: string): void {
    const now = Date.now();
    let timer = this.#tables.get(table);
    if (!timer) {
      timer = { lastAnnounced: 0 };
      this.#tables.set(table, timer);
    }
    if (timer.pending) return;
    const wait = timer.lastAnnounced + this.#options.minIntervalMs - now;
    const announce = () => {
      timer.pending = undefined;
      timer.lastAnnounced = Date.now();
      this.#emit({ kind: 'rows', table });
    };
    if (wait <= 0) announce();
    else timer.pending = setTimeout(announce, wait);
  }

  #emit(event: ChangeEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#options.logger.error({ err: error, event }, 'change listener failed');
      }
    }
  }
}
