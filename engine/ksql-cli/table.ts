/**
 * The two table styles ksqlDB's CLI prints:
 *
 * - listings and descriptions (its `Table`): cells padded to the widest,
 *   ` | ` between columns, a dashed rule under the header and at the end;
 * - query rows (its `TabularRow`): fixed-width cells framed by `|`, the
 *   header between `+----+` rules, long values wrapped onto more lines.
 */

export interface Listing {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly headerLines?: readonly string[];
  readonly footerLines?: readonly string[];
}

/** Table.print: `width` caps the rules, as the console width does. */
export function formatListing(table: Listing, width: number): string {
  const out: string[] = [...(table.headerLines ?? [])];
  if (table.headers.length > 0) {
    const widths = table.headers.map((header, i) =>
      Math.max(
        header.length,
        ...table.rows.map((row) =>
          Math.max(
            ...String(row[i] ?? '')
              .split('\n')
              .map((l) => l.length),
          ),
        ),
      ),
    );
    const line = (cells: readonly string[]) =>
      ` ${cells.map((c, i) => String(c).padEnd(widths[i] as number)).join(' | ')} `;
    const separatorLength = widths.reduce((sum, w) => sum + w + 3, -1);
    const separator = '-'.repeat(Math.min(width, separatorLength));
    out.push(line(table.headers), separator, ...table.rows.map(line), separator);
  }
  out.push(...(table.footerLines ?? []));
  return out.join('\n');
}

const MIN_CELL_WIDTH = 5;
const CLIPPED = '...';

/** The cell width TabularRow picks: the console width shared by the columns. */
export function cellWidthFor(width: number, columns: number, configured = 0): number {
  if (configured > 0) return configured;
  return columns > 0 ? Math.max(Math.floor(width / columns) - 2, MIN_CELL_WIDTH) : MIN_CELL_WIDTH;
}

function splitToFixed(value: string, width: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += width) parts.push(value.slice(i, i + width).padEnd(width));
  return parts.length > 0 ? parts : [''.padEnd(width)];
}

function rule(cellWidth: number, columns: number): string {
  return `+${`${'-'.repeat(cellWidth)}+`.repeat(columns)}`;
}

function formatCells(values: readonly string[], cellWidth: number, wrap: boolean): string {
  const split = values.map((v) => splitToFixed(v, cellWidth));
  const maxSplit = Math.max(...split.map((s) => s.length));
  const rows = wrap ? maxSplit : 1;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '|';
    for (const parts of split) {
      const cell = parts[r] ?? ''.padEnd(cellWidth);
      const clip = parts.length > rows && parts.slice(rows).some((p) => p.trim() !== '');
      line += clip ? `${cell.slice(0, cell.length - CLIPPED.length)}${CLIPPED}|` : `${cell}|`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** TabularRow.createHeader: the column names between two rules (always wrapped). */
export function formatRowHeader(columnNames: readonly string[], width: number): string {
  if (columnNames.length === 0) return '';
  const cellWidth = cellWidthFor(width, columnNames.length);
  const r = rule(cellWidth, columnNames.length);
  return `${r}\n${formatCells(columnNames, cellWidth, true)}\n${r}`;
}

/** TabularRow.createRow: values as Java's toString writes them. */
export function formatRow(values: readonly unknown[], width: number, wrap = true): string {
  if (values.length === 0) return '';
  return formatCells(values.map(javaString), cellWidthFor(width, values.length), wrap);
}

/** Java's `Objects.toString` of a REST value: lists `[a, b]`, maps and structs `{k=v}`, null `null`. */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
