/**
 * Summaries of a conformance run: passed / failed per file, per format and
 * in total, and the failures grouped by category (unsupported feature,
 * wrong output, wrong error, crash, timeout) and then by reason.
 */
import path from 'node:path';
import type { CaseResult } from './runner.ts';

export interface Tally {
  passed: number;
  failed: number;
}

export interface ConformanceReport {
  readonly total: Tally;
  readonly byFile: Record<string, Tally>;
  readonly byFormat: Record<string, Tally>;
  /** category -> reason (numbers and quoted values blurred) -> count */
  readonly failures: Record<string, Record<string, number>>;
  readonly cases: readonly CaseResult[];
}

export function summarize(results: readonly CaseResult[]): ConformanceReport {
  const total: Tally = { passed: 0, failed: 0 };
  const byFile: Record<string, Tally> = {};
  const byFormat: Record<string, Tally> = {};
  const failures: Record<string, Record<string, number>> = {};
  for (const r of results) {
    const file = path.basename(r.file);
    const format = r.format ?? '(none)';
    const f = tallyOf(byFile, file);
    const g = tallyOf(byFormat, format);
    for (const t of [total, f, g]) {
      if (r.passed) t.passed++;
      else t.failed++;
    }
    if (!r.passed) {
      const category = r.category ?? 'crash';
      const group = failures[category] ?? {};
      failures[category] = group;
      const reason = blur(r.reason ?? '');
      group[reason] = (group[reason] ?? 0) + 1;
    }
  }
  return { total, byFile, byFormat, failures, cases: results };
}

function tallyOf(map: Record<string, Tally>, name: string): Tally {
  const t = map[name] ?? { passed: 0, failed: 0 };
  map[name] = t;
  return t;
}

/** Groups reasons that differ only in record numbers and values. */
function blur(reason: string): string {
  return reason
    .replace(/record \d+/g, 'record N')
    .replace(/expected \d+ records, got \d+.*/, 'wrong number of records')
    .replace(/(got|expected) ("[^"]*"|[-\d.]+|\{.*\}|\[.*\])/g, '$1 …')
    .slice(0, 160);
}

const pct = (t: Tally) =>
  t.passed + t.failed === 0 ? '-' : `${((100 * t.passed) / (t.passed + t.failed)).toFixed(1)}%`;

export function formatReport(report: ConformanceReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const row = (name: string, t: Tally) =>
    `  ${name.padEnd(42)} ${String(t.passed).padStart(4)} passed ${String(t.failed).padStart(4)} failed  ${pct(t).padStart(6)}`;
  lines.push('By file:');
  for (const [file, t] of Object.entries(report.byFile).sort()) lines.push(row(file, t));
  lines.push('', 'By format:');
  for (const [format, t] of Object.entries(report.byFormat).sort()) lines.push(row(format, t));
  lines.push('', 'Failures by reason:');
  for (const [category, reasons] of Object.entries(report.failures).sort()) {
    const count = Object.values(reasons).reduce((a, b) => a + b, 0);
    lines.push(`  ${category} (${count})`);
    const sorted = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
    for (const [reason, n] of options.verbose ? sorted : sorted.slice(0, 15))
      lines.push(`    ${String(n).padStart(4)}  ${reason}`);
    if (!options.verbose && sorted.length > 15)
      lines.push(`          … ${sorted.length - 15} more reasons (--verbose lists them)`);
  }
  if (options.verbose) {
    lines.push('', 'Failed cases:');
    for (const c of report.cases.filter((x) => !x.passed)) {
      lines.push(`  ${path.basename(c.file)} :: ${c.name} :: ${c.category}: ${c.reason}`);
    }
  }
  lines.push('', row('TOTAL', report.total));
  return lines.join('\n');
}
