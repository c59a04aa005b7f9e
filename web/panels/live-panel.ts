/**
 * A live panel: a view over one or more tables, rendered by a query of its
 * own (the election panels), rather than over one table's snapshot (the
 * generic panel). The Dashboard re-renders it whenever one of the tables it
 * `reads` changes, and a table read by any live panel gets no generic panel.
 */
import type pg from 'pg';
import type { SafeHtml } from '../views/html.ts';

export interface PanelContext {
  db: pg.Pool;
  schema: string;
  /** The tables of the schema now; a live panel must render (its empty state) without them. */
  tables: ReadonlySet<string>;
  now: number;
}

export interface LivePanel {
  /** Stable and unique; the section's id is `panel-<key>` (see livePanelId). */
  key: string;
  title: string;
  /** The tables whose changes re-render it. */
  reads: readonly string[];
  /** Spans two grid columns on a wide screen. */
  wide?: boolean;
  /**
   * The panel holds per-page state (a filter, a page, an open drill-down): on
   * a change, pages are told to re-fetch this element (its `[data-src]`) with
   * their own parameters instead of receiving the panel.
   */
  refreshTarget?: string;
  /** Also re-rendered every tick (time-based figures: freshness, rates). */
  ticks?: boolean;
  render(context: PanelContext): Promise<SafeHtml>;
}

/**
 * `panel-election-totals` for the key `election-totals`. A table's panel id
 * (format.ts panelId) never contains a `-` that is not part of an escape like
 * `-2d-`, so the two never collide.
 */
export function livePanelId(key: string): string {
  return `panel-${key}`;
}
