/** How values read on the dashboard: grouped digits, ISO times, names from identifiers. */
import type { CellValue } from '../panels/source.ts';

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

export function formatCell(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof Date)
    return value
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, ' UTC');
  return String(value);
}

/** `votes_by_party` -> `Votes by party`; a sink table's name is the panel's title until a specific panel names it. */
export function humanise(identifier: string): string {
  const words = identifier.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/**
 * A stable HTML id for a table's panel. Lower-case letters, digits and `_`
 * are kept; any other character (`-` too) becomes `-<hex>-`, so the mapping
 * is one-to-one and two tables never share an id.
 */
export function panelId(table: string): string {
  return `panel-${table.replace(/[^a-z0-9_]/gu, (c) => `-${c.codePointAt(0)?.toString(16)}-`)}`;
}

const percent = new Intl.NumberFormat('en-GB', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** 0.6234 -> `62.3%`. */
export function formatPercent(ratio: number): string {
  return percent.format(Number.isFinite(ratio) ? ratio : 0);
}

/** Epoch millis -> `2026-05-07 14:00 UTC`. */
export function formatUtc(epochMillis: number, withSeconds = false): string {
  const iso = new Date(epochMillis).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

/** Epoch millis -> `14:00` (UTC). */
export function formatHourUtc(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(11, 16);
}
