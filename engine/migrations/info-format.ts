/**
 * `info`'s table (MigrationVersionInfoFormatter): one row per migration file,
 * columns padded to their widest cell, a dashed rule under the header and at
 * the end. Epoch timestamps print as `yyyy-MM-dd HH:mm:ss.SSS z` in local time.
 */
import type { MigrationVersionInfo } from './metadata.ts';

const FIELDS: readonly (readonly [string, (info: MigrationVersionInfo) => string])[] = [
  ['Version', (i) => String(i.version)],
  ['Name', (i) => i.name],
  ['State', (i) => i.state],
  ['Previous Version', (i) => i.prevVersion],
  ['Started On', (i) => formatTimestamp(i.startedOn)],
  ['Completed On', (i) => formatTimestamp(i.completedOn)],
  ['Error Reason', (i) => i.errorReason],
];

export function formatTimestamp(epoch: string): string {
  if (epoch === '' || epoch === 'N/A' || !/^-?\d+$/.test(epoch)) return epoch;
  const date = new Date(Number(epoch));
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(date)
      .find((x) => x.type === 'timeZoneName')?.value ?? '';
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)} ${zone}`;
}

export function formatVersionInfos(infos: readonly MigrationVersionInfo[]): string {
  const cells = infos.map((info) => FIELDS.map(([, extract]) => extract(info)));
  const widths = FIELDS.map(([header], i) => Math.max(header.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (values: readonly string[]) => ` ${values.map((v, i) => v.padEnd(widths[i] as number)).join(' | ')} \n`;
  const divider = `${'-'.repeat(widths.reduce((a, b) => a + b, 0) + 3 * FIELDS.length - 1)}\n`;
  return line(FIELDS.map(([header]) => header)) + divider + cells.map(line).join('') + divider;
}
