/**
 * The dashboard's read side: which panels exist and each one rendered from
 * fresh data. Live panels (the election's) come first, in their order, whether
 * or not their tables exist yet; then every table of the schema that no live
 * panel reads gets the generic panel. Routes and the live hub both render
 * through this, so a page load and an SSE update show the same HTML.
 */
import type pg from 'pg';
import { html } from '../views/html.ts';
import { type RenderedPanel, refreshMarker, tablePanel } from '../views/page.ts';
import { type LivePanel, livePanelId, type PanelContext } from './live-panel.ts';
import { PanelRegistry } from './registry.ts';
import { listTables, readSnapshot, type TableInfo } from './source.ts';

// PostgreSQL's SQLSTATE for "relation does not exist".
const UNDEFINED_TABLE = '42P01';

export interface RenderedState {
  /** The tables of the schema, sorted: what the live hub compares catalog checks with. */
  tables: string[];
  panels: RenderedPanel[];
}

export class Dashboard {
  readonly #claimed: ReadonlySet<string>;

  constructor(
    readonly db: pg.Pool,
    readonly schema: string,
    readonly registry: PanelRegistry = new PanelRegistry(),
    readonly livePanels: readonly LivePanel[] = [],
  ) {
    this.#claimed = new Set(livePanels.flatMap((p) => p.reads));
  }

  tables(): Promise<TableInfo[]> {
    return listTables(this.db, this.schema);
  }

  /** Whether a live panel reads `table` (then it has no generic panel). */
  claims(table: string): boolean {
    return this.#claimed.has(table);
  }

  async renderTable(table: TableInfo): Promise<RenderedPanel> {
    const snapshot = await readSnapshot(this.db, table);
    const view = this.registry.viewFor(table.name);
    return tablePanel(table.name, view.title(snapshot), view.body(snapshot));
  }

  async renderLive(panel: LivePanel, tables: ReadonlySet<string>): Promise<RenderedPanel> {
    const context: PanelContext = { db: this.db, schema: this.schema, tables, now: Date.now() };
    let body: RenderedPanel['body'];
    try {
      body = await panel.render(context);
    } catch (error) {
      // One panel that cannot be read (a table of an unexpected shape) must not take the page down.
      body = html`<p class="error" role="alert">This panel cannot be read: ${(error as Error).message}</p>`;
    }
    const id = livePanelId(panel.key);
    // The marker that later SSE messages replace to tell the page to re-fetch (live/hub.ts).
    if (panel.refreshTarget) body = html`${body}${refreshMarker(id, panel.refreshTarget, '0')}`;
    return { key: panel.key, id, title: panel.title, body, ...(panel.wide && { wide: true }) };
  }

  livePanel(key: string): LivePanel | undefined {
    return this.livePanels.find((p) => p.key === key);
  }

  /** One panel by live panel key or table name, or undefined when there is none. */
  async renderPanel(name: string): Promise<RenderedPanel | undefined> {
    const tables = await this.tables();
    const live = this.livePanel(name);
    if (live) return this.renderLive(live, new Set(tables.map((t) => t.name)));
    const table = tables.find((t) => t.name === name && !this.claims(t.name));
    return table ? this.renderTable(table).catch(skipDropped) : undefined;
  }

  async renderAll(): Promise<RenderedState> {
    const tables = await this.tables();
    const names = new Set(tables.map((t) => t.name));
    const [live, generic] = await Promise.all([
      Promise.all(this.livePanels.map((p) => this.renderLive(p, names))),
      Promise.all(tables.filter((t) => !this.claims(t.name)).map((t) => this.renderTable(t).catch(skipDropped))),
    ]);
    return {
      tables: [...names].sort(),
      panels: [...live, ...generic.filter((p) => p !== undefined)],
    };
  }

  /**
   * The panels to send after `changed` tables changed (and, on a tick, the
   * ticking ones): live panels that read one of them, and the generic panels
   * of unclaimed ones. Panels with per-page state are listed in `refresh`.
   */
  async renderChanged(
    changed: ReadonlySet<string>,
    tick = false,
  ): Promise<{ panels: RenderedPanel[]; refresh: LivePanel[] }> {
    const tables = await this.tables();
    const names = new Set(tables.map((t) => t.name));
    const affected = this.livePanels.filter((p) => (tick && p.ticks) || p.reads.some((t) => changed.has(t)));
    const rendered = affected.filter((p) => !p.refreshTarget);
    const [live, generic] = await Promise.all([
      Promise.all(rendered.map((p) => this.renderLive(p, names))),
      Promise.all(
        tables
          .filter((t) => changed.has(t.name) && !this.claims(t.name))
          .map((t) => this.renderTable(t).catch(skipDropped)),
      ),
    ]);
    return {
      panels: [...live, ...generic.filter((p) => p !== undefined)],
      refresh: affected.filter((p) => p.refreshTarget),
    };
  }
}

/** A table dropped between listing and reading it is no panel; the change feed redraws the grid anyway. */
function skipDropped(error: unknown): undefined {
  if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
  throw error;
}
