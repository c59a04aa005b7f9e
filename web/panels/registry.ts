/**
 * Which view renders which table. Every table of the schema gets the generic
 * panel, so a new sink table (a new metric in SQL) is on the dashboard with
 * no code change; a specific panel registered for a known table name (votes
 * by candidate, turnout...) replaces the generic one for that table.
 */
import type { SafeHtml } from '../views/html.ts';
import { genericPanel } from './generic.ts';
import type { TableSnapshot } from './source.ts';

export interface PanelView {
  /** The panel's heading. */
  title(snapshot: TableSnapshot): string;
  /** The panel's body: totals, chart, table. The frame (section, heading, id) is shared. */
  body(snapshot: TableSnapshot): SafeHtml;
}

export class PanelRegistry {
  readonly #byTable = new Map<string, PanelView>();

  constructor(readonly fallback: PanelView = genericPanel) {}

  register(table: string, view: PanelView): this {
    this.#byTable.set(table, view);
    return this;
  }

  viewFor(table: string): PanelView {
    return this.#byTable.get(table) ?? this.fallback;
  }
}
