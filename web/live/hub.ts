/**
 * LiveHub: turns "table X changed" into HTML fragments for every open page.
 *
 * Changes are rendered once, whatever the number of pages, and sent as one
 * SSE message of `hx-swap-oob` fragments: the panels that read the changed
 * tables, or the whole grid when a table appeared, went or changed shape.
 * Changes are coalesced across tables: the first is rendered at once, later
 * ones at most once per `minIntervalMs` together, so a page receives a few
 * messages a second at most however many tables the sink is writing.
 *
 * A panel with per-page state (a filter, a drill-down) is not sent: a marker
 * tells each page to re-fetch it with its own parameters (views/page.ts
 * refreshMarker). Ticking panels (freshness, rates) are re-rendered every
 * `tickMs` too, in a message of their own unless a change is pending; a
 * tick does not count against the interval, so it never delays a change.
 *
 * Every message has an id (`<boot>.<sequence>`). The dashboard shows state,
 * not a log, so a page that (re)connects, with or without Last-Event-ID, is
 * sent the current state of every panel first (one render shared by the
 * pages that connect while nothing changes; a change committed but not yet
 * announced follows in the next message): nothing it missed is lost, and
 * nothing that changed between its page load and its connection either.
 * Rendering and sending go through one queue, so a page never receives an
 * older fragment after a newer one.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging/index.ts';
import type { ChangeEvent, ChangeFeed } from '../changes/change-feed.ts';
import type { Dashboard } from '../panels/dashboard.ts';
import { livePanelId } from '../panels/live-panel.ts';
import { html } from '../views/html.ts';
import { panelFrame, panelGrid, refreshMarker } from '../views/page.ts';

export interface LiveMessage {
  id: string;
  /** HTML: elements with hx-swap-oob. */
  data: string;
}

export type LiveSubscriber = (message: LiveMessage) => void;

export interface LiveHubOptions {
  /** The shortest time between two messages of changed panels (default 250 ms). */
  minIntervalMs?: number;
  /** How often ticking panels are re-rendered (default 2 s; 0 never). */
  tickMs?: number;
}

export class LiveHub {
  readonly #boot = randomBytes(4).toString('hex');
  readonly #subscribers = new Set<LiveSubscriber>();
  readonly #minIntervalMs: number;
  #sequence = 0;
  /** The tables of the last grid sent, to notice one that came and went between two catalog checks. */
  #sentTables = '';
  #queue: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;
  /** Tables changed since the last message, and whether a tick is due. */
  #pending = new Set<string>();
  #tickDue = false;
  #lastFlush = 0;
  #flushTimer?: NodeJS.Timeout;
  #tickTimer?: NodeJS.Timeout;
  /** The last grid rendered, while nothing has changed since: pages connecting together share one render. */
  #grid?: string;

  constructor(
    readonly dashboard: Dashboard,
    feed: ChangeFeed,
    readonly logger: Logger,
    options: LiveHubOptions = {},
  ) {
    this.#minIntervalMs = options.minIntervalMs ?? 250;
    this.#unsubscribe = feed.subscribe((event) => this.#onChange(event));
    const tickMs = options.tickMs ?? 2000;
    if (tickMs > 0 && dashboard.livePanels.some((p) => p.ticks)) {
      this.#tickTimer = setInterval(() => {
        this.#tickDue = true;
        this.#grid = undefined;
        // A tick rides with a pending flush, or goes alone without delaying the next change's flush.
        if (!this.#flushTimer) this.#enqueue(() => this.#publishChanges()).catch(() => {});
      }, tickMs);
      this.#tickTimer.unref();
    }
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Sends the current state to `subscriber`, then every change after it.
   * Resolves once the state is sent; returns the function that unsubscribes.
   */
  async connect(subscriber: LiveSubscriber): Promise<() => void> {
    let connected = true;
    const unsubscribe = () => {
      connected = false;
      this.#subscribers.delete(subscriber);
    };
    await this.#enqueue(async () => {
      if (!connected) return;
      if (this.#grid === undefined) {
        const state = await this.dashboard.renderAll();
        this.#sentTables = state.tables.join('\n');
        this.#grid = panelGrid(state.panels, true).value;
      }
      subscriber({ id: this.#nextId(), data: this.#grid });
      this.#subscribers.add(subscriber);
    });
    return unsubscribe;
  }

  close(): void {
    this.#unsubscribe();
    clearTimeout(this.#flushTimer);
    clearInterval(this.#tickTimer);
    this.#subscribers.clear();
  }

  #onChange(event: ChangeEvent): void {
    if (event.kind !== 'catalog' || event.tables.join('\n') !== this.#sentTables) this.#grid = undefined;
    if (event.kind === 'rows') {
      this.#pending.add(event.table);
      this.#schedule();
      return;
    }
    // A catalog check that agrees with what pages show needs no work, nor a place in the queue.
    if (event.kind === 'catalog' && event.tables.join('\n') === this.#sentTables) return;
    // A failure is logged by #enqueue; the next change renders afresh.
    this.#enqueue(() => this.#publishGrid(event)).catch(() => {});
  }

  /** Flushes now when the interval has passed since the last flush, else once it has. */
  #schedule(): void {
    if (this.#flushTimer) return;
    const wait = this.#lastFlush + this.#minIntervalMs - Date.now();
    const flush = () => {
      this.#flushTimer = undefined;
      this.#lastFlush = Date.now();
      this.#enqueue(() => this.#publishChanges()).catch(() => {});
    };
    if (wait <= 0) flush();
    else this.#flushTimer = setTimeout(flush, wait);
  }

  #nextId(): string {
    this.#sequence += 1;
    return `${this.#boot}.${this.#sequence}`;
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch((error) => this.logger.error({ err: error }, 'live update failed'));
    return run;
  }

  #send(data: string): void {
    const message = { id: this.#nextId(), data };
    for (const subscriber of this.#subscribers) subscriber(message);
  }

  async #publishGrid(event: ChangeEvent): Promise<void> {
    if (this.#subscribers.size === 0) return;
    if (event.kind === 'catalog' && event.tables.join('\n') === this.#sentTables) return;
    // The grid carries every panel: changes pending until now are in it.
    this.#pending.clear();
    const state = await this.dashboard.renderAll();
    this.#sentTables = state.tables.join('\n');
    this.#grid = panelGrid(state.panels, true).value;
    this.#send(this.#grid);
  }

  async #publishChanges(): Promise<void> {
    const changed = this.#pending;
    const tick = this.#tickDue;
    this.#pending = new Set();
    this.#tickDue = false;
    if (this.#subscribers.size === 0 || (changed.size === 0 && !tick)) return;
    this.#grid = undefined;
    const { panels, refresh } = await this.dashboard.renderChanged(changed, tick);
    if (panels.length === 0 && refresh.length === 0) return;
    const stamp = String(this.#sequence + 1);
    const data = html`${panels.map((p) => panelFrame(p, true))}${refresh.map((p) =>
      refreshMarker(livePanelId(p.key), p.refreshTarget ?? '', stamp, true),
    )}`;
    this.#send(data.value);
  }
}
