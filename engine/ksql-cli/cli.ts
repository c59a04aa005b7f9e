/**
 * `tally ksql [server-url]`: ksqlDB's CLI. Interactive without `-e`/`-f`;
 * with them it runs the statements, prints the results and exits with 1 if
 * one failed. Prints the server's version on connect, as the real CLI does.
 */
import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/index.ts';
import { KsqlClient, KsqlClientError, type ServerInfo } from '../client/ksql-client.ts';
import { runRepl } from './repl.ts';
import { KsqlCliSession, type OutputFormat, type SessionOutput } from './session.ts';

/** The ksqlDB release whose CLI this one stands in for. */
export const CLI_VERSION = '8.0.0';

const BANNER = `
                  ===========================================
                  =       _              _ ____  ____       =
                  =      | | _____  __ _| |  _ \\| __ )      =
                  =      | |/ / __|/ _\` | | | | |  _ \\      =
                  =      |   <\\__ \\ (_| | | |_| | |_) |     =
                  =      |_|\\_\\___/\\__, |_|____/|____/      =
                  =                   |_|                   =
                  =        The Database purpose-built       =
                  =        for stream processing apps       =
                  ===========================================

Copyright 2017-2025 Confluent Inc.
`;

export interface KsqlCliArgs {
  readonly server: string;
  readonly execute?: string;
  readonly file?: string;
  readonly output: OutputFormat;
  readonly define?: readonly string[];
  readonly user?: string;
  readonly password?: string;
}

function parseDefines(defines: readonly string[]): Map<string, string> {
  const variables = new Map<string, string>();
  for (const pair of defines) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new KsqlClientError(`Variables must be defined using '=' (i.e. var=val). Got: ${pair}`, 0, 0);
    variables.set(pair.slice(0, at).trim().toUpperCase(), pair.slice(at + 1));
  }
  return variables;
}

const terminalWidth = () => process.stdout.columns || 80;

function connectError(url: string, error: Error): string {
  return [
    '**************** ERROR ********************',
    `Remote server at ${url} does not appear to be a valid KSQL`,
    'server. Please ensure that the URL provided is for an active KSQL server.',
    '',
    'The server responded with the following error: ',
    error.message,
    '*******************************************',
  ].join('\n');
}

/** Runs the CLI; resolves with the exit status. */
export async function runKsqlCli(
  args: KsqlCliArgs,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; error: NodeJS.WritableStream } = {
    input: process.stdin,
    output: process.stdout,
    error: process.stderr,
  },
): Promise<number> {
  const client = new KsqlClient({
    url: args.server,
    ...(args.user !== undefined && { basicAuth: { username: args.user, password: args.password ?? '' } }),
  });
  const colour = (io.error as NodeJS.WriteStream).isTTY === true;
  const out: SessionOutput = {
    print: (text) => io.output.write(`${text}\n`),
    printError: (text) => io.error.write(colour ? `\x1b[31m${text}\x1b[0m\n` : `${text}\n`),
  };
  const session = new KsqlCliSession(client, out, {
    format: args.output,
    width: terminalWidth,
    variables: parseDefines(args.define ?? []),
  });
  let info: ServerInfo;
  try {
    info = await client.info();
  } catch (error) {
    out.printError(connectError(args.server, error as Error));
    return 1;
  }
  if (args.execute !== undefined || args.file !== undefined) {
    let text = args.execute ?? '';
    if (args.file !== undefined) {
      try {
        text = fs.readFileSync(args.file, 'utf8');
      } catch (error) {
        out.printError(
          `Failed to read file: ${args.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
        return 1;
      }
    }
    return (await session.executeText(text)) ? 0 : 1;
  }
  io.output.write(
    `${BANNER}\nCLI v${CLI_VERSION}, Server v${info.version} located at ${args.server}\n` +
      `Server Status: ${info.serverStatus ?? 'RUNNING'}\n\n` +
      "Having trouble? Type 'help' (case-insensitive) for a rundown of how things work!\n\n",
  );
  return runRepl({
    input: io.input as NodeJS.ReadStream,
    output: io.output as NodeJS.WriteStream,
    session,
    version: CLI_VERSION,
  });
}

export const ksqlCommand: CommandModule = {
  command: 'ksql [server]',
  describe: "ksqlDB's CLI: an interactive SQL prompt, or -e/-f to run statements",
  builder: (y: Argv) =>
    y
      .positional('server', {
        type: 'string',
        describe: 'the ksqlDB server URL (default: KSQLDB_URL, http://127.0.0.1:8088)',
      })
      .option('execute', { alias: 'e', type: 'string', describe: 'run these statements, print the results, exit' })
      .option('file', {
        alias: 'f',
        type: 'string',
        describe: 'run the statements in this file, print the results, exit',
      })
      .option('output', {
        type: 'string',
        choices: ['TABULAR', 'JSON'],
        default: 'TABULAR',
        coerce: (v: string) => v.toUpperCase(),
        describe: 'how results are printed',
      })
      .option('define', {
        alias: 'd',
        type: 'string',
        array: true,
        describe: 'define a variable for the session (name=value); may be given any number of times',
      })
      .option('user', { alias: 'u', type: 'string', describe: 'username for HTTP basic authentication' })
      .option('password', { alias: 'p', type: 'string', describe: 'password for HTTP basic authentication' })
      .conflicts('execute', 'file'),
  handler: async (argv) => {
    const server = (argv.server as string | undefined) ?? loadConfig().ksqldbUrl;
    process.exitCode = await runKsqlCli({
      server,
      ...(argv.execute !== undefined && { execute: argv.execute as string }),
      ...(argv.file !== undefined && { file: argv.file as string }),
      output: argv.output as OutputFormat,
      define: (argv.define as string[] | undefined) ?? [],
      ...(argv.user !== undefined && { user: argv.user as string }),
      ...(argv.password !== undefined && { password: argv.password as string }),
    });
  },
};
