/**
 * The interactive prompt of `tally ksql`, as ksqlDB's CLI: `ksql> `, a
 * statement may span lines until its `;`, history kept in ~/.ksql-history,
 * Ctrl-C closes a running query (or clears the line), `exit` or Ctrl-D leaves.
 * CLI commands (exit, quit, help, output, history, version) need no `;`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { splitSql } from '../client/sql-statements.ts';
import type { KsqlCliSession } from './session.ts';

const PROMPT = 'ksql> ';
const CONTINUATION = '> ';
const HISTORY_SIZE = 500;

export interface ReplOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly session: KsqlCliSession;
  readonly version: string;
  /** Defaults to `~/.ksql-history` when the input is a terminal; none otherwise. */
  readonly historyFile?: string | null;
}

const HELP = `
Description:
  The KSQL CLI provides a terminal-based interactive shell for running queries. Each command should be on a separate
  line. For KSQL command syntax, see the documentation at https://github.com/confluentinc/ksql/docs/.

help:
  Show this message.

clear:
  Clear the current terminal.

output:
  View the current output format.

output <format>:
  Set the output format to <format> (valid formats: 'JSON', 'TABULAR')
  For example: "output JSON"

history:
  Show previous lines entered during the current CLI session. You can use up and down arrow keys to navigate to the
  previous lines too.

version:
  Get the current KSQL version.

exit:
  Exit the CLI.

Default behavior:

    Lines are read one at a time and are sent to the server as KSQL unless one of the following is true:

    1. The line is empty or entirely whitespace. In this case, no request is made to the server.

    2. The line ends with backslash ('\\'). In this case, lines are continuously read and stripped of their trailing
    newline and '\\' until one is encountered that does not end with '\\'; then, the concatenation of all lines read
    during this time is sent to the server as KSQL.
`;

/** Runs the prompt until exit or end of input; resolves with the exit status. */
export async function runRepl(options: ReplOptions): Promise<number> {
  const { input, output, session } = options;
  const terminal = (input as NodeJS.ReadStream).isTTY === true && (output as NodeJS.WriteStream).isTTY === true;
  const historyFile =
    options.historyFile === undefined
      ? terminal
        ? path.join(os.homedir(), '.ksql-history')
        : null
      : options.historyFile;
  const history = historyFile ? readHistory(historyFile) : [];
  const rl = readline.createInterface({
    input,
    output,
    terminal,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  if (historyFile) rl.on('history', (lines: string[]) => writeHistory(historyFile, lines));
  const seen: string[] = [...history].reverse();

  let buffer = '';
  const prompt = () => {
    rl.setPrompt(buffer === '' ? PROMPT : CONTINUATION);
    rl.prompt();
  };
  // Ctrl-C: closes a running query; at the prompt it drops what was typed.
  const onInterrupt = () => {
    if (session.interrupt()) return;
    buffer = '';
    output.write('\n');
    prompt();
  };
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);

  try {
    prompt();
    for await (const line of rl) {
      seen.push(line);
      if (buffer === '') {
        const command = cliCommand(line);
        if (command) {
          const done = await runCliCommand(command, { output, session, version: options.version, seen });
          if (done) return 0;
          prompt();
          continue;
        }
      }
      // A trailing backslash continues the line, as in the real CLI.
      buffer += line.endsWith('\\') ? line.slice(0, -1) : `${line}\n`;
      if (line.endsWith('\\')) {
        prompt();
        continue;
      }
      const { statements, rest, unclosed } = splitSql(buffer);
      if (statements.length > 0) {
        buffer = unclosed ? rest : rest.trim() === '' ? '' : rest;
        // Input stays live meanwhile, so a terminal's Ctrl-C reaches the running query.
        await session.executeStatements(statements);
      } else if (!unclosed && rest.trim() === '') {
        buffer = '';
      }
      prompt();
    }
    output.write('\n');
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    rl.close();
  }
}

type CliCommand = { name: string; args: string[] };

function cliCommand(line: string): CliCommand | null {
  const parts = line.trim().replace(/;+$/, '').trim().split(/\s+/).filter(Boolean);
  const name = parts[0]?.toLowerCase();
  if (!name) return null;
  if (['exit', 'quit', 'help', 'history', 'version', 'clear'].includes(name) && parts.length === 1)
    return { name, args: [] };
  if (name === 'output' && parts.length <= 2) return { name, args: parts.slice(1) };
  return null;
}

/** true when the CLI should exit. */
async function runCliCommand(
  command: CliCommand,
  context: { output: Writable; session: KsqlCliSession; version: string; seen: string[] },
): Promise<boolean> {
  const { output, session } = context;
  switch (command.name) {
    case 'exit':
    case 'quit':
      return true;
    case 'help':
      output.write(`${HELP}\n`);
      return false;
    case 'clear':
      output.write('\x1b[2J\x1b[H');
      return false;
    case 'history':
      for (const [i, line] of context.seen.slice(0, -1).entries())
        output.write(`${String(i + 1).padStart(5)}: ${line}\n`);
      return false;
    case 'version':
      output.write(`Version: ${context.version}\n`);
      return false;
    case 'output': {
      const wanted = command.args[0]?.toUpperCase();
      if (wanted === undefined) output.write(`Output format: ${session.format}\n`);
      else if (wanted === 'JSON' || wanted === 'TABULAR') {
        session.format = wanted;
        output.write(`Output format set to ${wanted}\n`);
      } else output.write(`Invalid output format: '${command.args[0]}' (valid formats: [JSON, TABULAR])\n`);
      return false;
    }
    default:
      return false;
  }
}

function readHistory(file: string): string[] {
  try {
    // readline wants the newest first.
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function writeHistory(file: string, newestFirst: string[]): void {
  try {
    fs.writeFileSync(file, `${[...newestFirst].reverse().join('\n')}\n`);
  } catch {
    // History is a convenience: an unwritable home must not stop the CLI.
  }
}
