/**
 * logging/: pino loggers that write JSON lines to `<dataDir>/logs/<service>.log`.
 * Files stay machine-readable; `tally logs` renders them for a terminal with
 * pino-pretty. A service run in the foreground can also log to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Folder of the log files: `<dataDir>/logs`. */
  logDir?: string;
  level?: pino.LevelWithSilent;
  /** Also write to stderr (pretty on a terminal, JSON lines otherwise). */
  stderr?: boolean;
}

/** The log file of one service. */
export function logFile(logDir: string, service: string): string {
  return path.join(logDir, `${service}.log`);
}

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  // multistream filters by pino's own level; a silent logger needs no per-stream floor.
  const streamLevel: pino.Level = level === 'silent' ? 'fatal' : level;
  const streams: pino.StreamEntry[] = [];
  if (options.logDir) {
    fs.mkdirSync(options.logDir, { recursive: true });
    streams.push({
      level: streamLevel,
      stream: pino.destination({ dest: logFile(options.logDir, service), sync: false }),
    });
  }
  if (options.stderr || streams.length === 0) {
    streams.push({ level: streamLevel, stream: process.stderr.isTTY ? prettyStream(2) : pino.destination(2) });
  }
  return pino({ name: service, level, base: { pid: process.pid } }, pino.multistream(streams));
}

/** A pino-pretty stream for humans, used by `tally logs` and foreground services. */
export function prettyStream(destination: number | NodeJS.WritableStream = 1) {
  return pinoPretty({ destination, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
