/**
 * Progress of one topic being produced: a bar with rate and ETA redrawn in
 * place on a terminal, plain lines every few seconds elsewhere (CI logs,
 * pipes), and a summary line at the end either way.
 */

export interface ProgressSnapshot {
  label: string;
  done: number;
  total: number;
  elapsedMs: number;
}

export interface Progress {
  advance(records: number): void;
  /** Prints the summary line; `stopped` when interrupted before the end. */
  finish(stopped?: boolean): void;
}

export interface ProgressOptions {
  /** A terminal gets a redrawn bar; anything else gets plain lines. */
  tty?: boolean;
  /** Between plain lines; default 5 s. */
  lineIntervalMs?: number;
  clock?: () => number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

export function createProgress(
  label: string,
  total: number,
  out: NodeJS.WritableStream & { isTTY?: boolean },
  options: ProgressOptions = {},
): Progress {
  const clock = options.clock ?? (() => performance.now());
  const tty = options.tty ?? Boolean(out.isTTY);
  const interval = tty ? REDRAW_MS : (options.lineIntervalMs ?? 5_000);
  const started = clock();
  let done = 0;
  let shownAt = started;
  const snapshot = (): ProgressSnapshot => ({ label, done, total, elapsedMs: clock() - started });
  return {
    advance(records) {
      done += records;
      const now = clock();
      if (now - shownAt < interval) return;
      shownAt = now;
      out.write(tty ? `\r${formatBar(snapshot())}\x1b[K` : `${formatLine(snapshot())}\n`);
    },
    finish(stopped = false) {
      out.write(`${tty ? '\r\x1b[K' : ''}${formatSummary(snapshot(), stopped)}\n`);
    },
  };
}

/** `votes  [#########---------------]  37%  100,000/270,000  85,300/s  ETA 0:02` */
export function formatBar(s: ProgressSnapshot): string {
  const share = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  return `${s.label.padEnd(10)} ${bar} ${percent(share).padStart(4)}  ${count(s.done)}/${count(s.total)}  ${rate(s)}  ETA ${eta(s)}`;
}

/** `votes: 100,000/270,000 (37%), 85,300/s, ETA 0:02` */
export function formatLine(s: ProgressSnapshot): string {
  const share = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
  return `${s.label}: ${count(s.done)}/${count(s.total)} (${percent(share)}), ${rate(s)}, ETA ${eta(s)}`;
}

/** `votes: 270,000 records in 3.2 s (84,000/s)` */
export function formatSummary(s: ProgressSnapshot, stopped = false): string {
  const what = stopped ? `stopped after ${count(s.done)} of ${count(s.total)} records` : `${count(s.done)} records`;
  return `${s.label}: ${what} in ${(s.elapsedMs / 1000).toFixed(1)} s (${rate(s)})`;
}

function percent(share: number): string {
  return `${Math.floor(share * 100)}%`;
}

function count(n: number): string {
  return n.toLocaleString('en');
}

function perSecond(s: ProgressSnapshot): number {
  return s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
}

function rate(s: ProgressSnapshot): string {
  return `${count(Math.round(perSecond(s)))}/s`;
}

/** Remaining time at the average rate so far, as h:mm:ss or m:ss. */
function eta(s: ProgressSnapshot): string {
  const r = perSecond(s);
  if (r === 0) return '--:--';
  const seconds = Math.ceil(Math.max(0, s.total - s.done) / r);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
