/**
 * `tally logs`: the stack's log files rendered for a terminal. Our services
 * write pino JSON lines, which pino-pretty formats; other lines (PostgreSQL's
 * own) pass through, prefixed with the service they came from.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { UserError } from '../config/index.ts';

export async function followLogs(logDir: string, services: string[], follow: boolean): Promise<void> {
  const available = fs.existsSync(logDir)
    ? fs
        .readdirSync(logDir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => f.slice(0, -4))
    : [];
  const unknown = services.filter((s) => !available.includes(s));
  if (unknown.length > 0 || available.length === 0) {
    throw new UserError(
      available.length === 0
        ? `No logs yet in ${logDir}; start the stack with \`make up\`.`
        : `No log for ${unknown.join(', ')}; there are logs for: ${available.join(', ')}.`,
    );
  }
  const files = (services.length > 0 ? services : available).map((s) => path.join(logDir, `${s}.log`));
  const tail = spawn('tail', ['-n', '40', ...(follow ? ['-F'] : []), ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pretty = prettyFactory({
    colorize: process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  let current = path.basename(files[0] ?? '', '.log');
  for await (const line of readline.createInterface({ input: tail.stdout })) {
    // tail names the file before each run of lines from it: "==> path <==".
    const header = /^==> (.*) <==$/.exec(line);
    if (header) {
      current = path.basename(header[1] ?? '', '.log');
      continue;
    }
    if (line.length === 0) continue;
    process.stdout.write(line.startsWith('{') ? pretty(line) : `[${current}] ${line}\n`);
  }
}
