/**
 * The dashboard's read side: which panels exist (the tables of the schema)
 * and each one rendered from a fresh snapshot. Routes and the live hub both
 * render through this, so a page load and an SSE update show the same HTML.
 */
import type pg from 'pg';
import type { RenderedPanel } from '../views/page.ts';
import { PanelRegistry } from './registry.ts';
import { listTables, readSnapshot, type TableInfo } from './source.ts';

// PostgreSQL's SQLSTATE for "relation does not exist".
const UNDEFINED_TABLE = '42P01';

export class Dashboard {
  constructor(
    readonly db: pg.Pool,
    readonly schema: string,
    readonly registry: PanelRegistry = new PanelRegistry(),
  ) {}

  tables(): Promise<TableInfo[]> {
    return listTables(this.db, this.schema);
  }

  async renderTable(table: TableInfo): Promise<RenderedPanel> {
    const snapshot = await readSnapshot(this.db, table);
    const view = this.registry.viewFor(table.name);
    return { table: table.name, title: view.title(snapshot), body: view.body(snapshot) };
  }

  /** One panel, or undefined when the schema has no such table. */
  async renderPanel(name: string): Promise<RenderedPanel | undefined> {
    const table = (await this.tables()).find((t) => t.name === name);
    return table ? this.renderTable(table).catch(skipDropped) : undefined;
  }

  async renderAll(): Promise<RenderedPanel[]> {
    const tables = await this.tables();
    const panels = await Promise.all(tables.map((t) => this.renderTable(t).catch(skipDropped)));
    return panels.filter((p) => p !== undefined);
  }
}

/** A table dropped between listing and reading it is no panel; the change feed redraws the grid anyway. */
function skipDropped(error: unknown): undefined {
  if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
  throw error;
}
