/**
 * LiveHub: turns "table X changed" into HTML fragments for every open page.
 *
 * Each change is rendered once, whatever the number of pages, and sent as an
 * SSE message of `hx-swap-oob` fragments: one panel when its rows changed,
 * the whole grid when a table appeared, went or changed shape.
 *
 * Every message has an id (`<boot>.<sequence>`). The dashboard shows state,
 * not a log, so a page that (re)connects, with or without Last-Event-ID, is
 * sent the current state of every panel first: nothing it missed is lost, and
 * nothing that changed between its page load and its connection either.
 * Rendering and sending go through one queue, so a page never receives an
 * older fragment after a newer one.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging/index.ts';
import type { ChangeEvent, ChangeFeed } from '../changes/change-feed.ts';
import type { Dashboard } from '../panels/dashboard.ts';
import { panelFrame, panelGrid, type RenderedPanel } from '../views/page.ts';

const tableNames = (panels: RenderedPanel[]) =>
  panels
    .map((p) => p.table)
    .sort()
    .join('\n');

export interface LiveMessage {
  id: string;
  /** HTML: elements with hx-swap-oob. */
  data: string;
}

export type LiveSubscriber = (message: LiveMessage) => void;

export class LiveHub {
  readonly #boot = randomBytes(4).toString('hex');
  readonly #subscribers = new Set<LiveSubscriber>();
  #sequence = 0;
  /** The tables of the last grid sent, to notice one that came and went between two catalog checks. */
  #sentTables = '';
  #queue: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;

  constructor(
    readonly dashboard: Dashboard,
    feed: ChangeFeed,
    readonly logger: Logger,
  ) {
    this.#unsubscribe = feed.subscribe((event) => {
      // A catalog check that agrees with what pages show needs no work, nor a place in the queue.
      if (event.kind === 'catalog' && event.tables.join('\n') === this.#sentTables) return;
      // A failure is logged by #enqueue; the next change renders afresh.
      this.#enqueue(() => this.#publish(event)).catch(() => {});
    });
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
      const panels = await this.dashboard.renderAll();
      this.#sentTables = tableNames(panels);
      subscriber({ id: this.#nextId(), data: panelGrid(panels, true).value });
      this.#subscribers.add(subscriber);
    });
    return unsubscribe;
  }

  close(): void {
    this.#unsubscribe();
    this.#subscribers.clear();
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

  async #publish(event: ChangeEvent): Promise<void> {
    if (this.#subscribers.size === 0) return;
    let data: string;
    if (event.kind === 'catalog' && event.tables.join('\n') === this.#sentTables) return;
    if (event.kind === 'tables' || event.kind === 'catalog') {
      const panels = await this.dashboard.renderAll();
      this.#sentTables = tableNames(panels);
      data = panelGrid(panels, true).value;
    } else {
      const panel = await this.dashboard.renderPanel(event.table);
      // A table of another schema (the channel is database-wide), or one dropped since.
      if (!panel) return;
      data = panelFrame(panel, true).value;
    }
    const message = { id: this.#nextId(), data };
    for (const subscriber of this.#subscribers) subscriber(message);
  }
}
