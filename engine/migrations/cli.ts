/**
 * `tally migrate`: ksqlDB's `ksql-migrations` tool, same commands, options,
 * files and metadata, so a project works with either tool against either server.
 *
 *   tally migrate new-project <project-path> <ksql-server-url>
 *   tally migrate -c <config-file> initialize-metadata | create <desc> [-v n] | apply -a|-n|-u n|-v n
 *                 [--dry-run] [-d k=v]... [--headers file] | info | validate | destroy-metadata
 */
import type { Argv, CommandModule } from 'yargs';
import { apply, createMigration, destroyMetadata, info, initializeMetadata, newProject, validate } from './commands.ts';

type Args = Record<string, unknown> & { 'config-file'?: string };

const configFile = (argv: Args) => argv['config-file'];

const subcommands: CommandModule<object, Args>[] = [
  {
    command: 'new-project <project-path> <ksql-server-url>',
    describe: 'Creates a new migrations project directory structure and config file.',
    handler: (argv) => {
      if (configFile(argv)) {
        console.error(
          'ERROR This command does not expect a config file to be passed. Rather, this command will create one as part of preparing the migrations directory.',
        );
        process.exitCode = 1;
        return;
      }
      process.exitCode = newProject(String(argv['project-path']), String(argv['ksql-server-url']));
    },
  },
  {
    command: 'initialize-metadata',
    describe: 'Initializes the schema metadata (stream and table).',
    handler: async (argv) => {
      process.exitCode = await initializeMetadata(configFile(argv));
    },
  },
  {
    command: 'create <description>',
    describe:
      'Creates a blank migration file with the specified description, which can then be populated with ksqlDB statements and applied as the next schema version.',
    builder: (y: Argv) =>
      y.option('version', {
        alias: 'v',
        type: 'number',
        describe: '(Optional) The schema version to initialize. Defaults to the next schema version.',
      }) as unknown as Argv<Args>,
    handler: async (argv) => {
      process.exitCode = await createMigration(
        configFile(argv),
        String(argv.description),
        argv.version as number | undefined,
      );
    },
  },
  {
    command: 'apply',
    describe: 'Migrates the metadata schema to a new schema version.',
    builder: (y: Argv) =>
      y
        .option('all', { alias: 'a', type: 'boolean', describe: 'Run all available migrations' })
        .option('next', { alias: 'n', type: 'boolean', describe: 'Run the next available migration version' })
        .option('until', {
          alias: 'u',
          type: 'number',
          describe: 'Run all available migrations up through the specified version',
        })
        .option('version', { alias: 'v', type: 'number', describe: 'Run the migration with the specified version' })
        .option('dry-run', {
          type: 'boolean',
          describe: 'Show which migration files and statements would run, without sending any statement.',
        })
        .option('define', {
          alias: 'd',
          type: 'string',
          array: true,
          describe: 'Define a variable for the session (name=value); may be given any number of times.',
        })
        .option('headers', {
          type: 'string',
          describe: 'Path to a properties file of request headers to send with every request.',
        }) as unknown as Argv<Args>,
    handler: async (argv) => {
      process.exitCode = await apply(configFile(argv), {
        all: argv.all === true,
        next: argv.next === true,
        ...(argv.until !== undefined && { until: argv.until as number }),
        ...(argv.version !== undefined && { version: argv.version as number }),
        dryRun: argv['dry-run'] === true,
        define: (argv.define as string[] | undefined) ?? [],
        ...(argv.headers !== undefined && { headers: argv.headers as string }),
      });
    },
  },
  {
    command: 'info',
    describe: 'Displays information about the current and available migrations.',
    handler: async (argv) => {
      process.exitCode = await info(configFile(argv));
    },
  },
  {
    command: 'validate',
    describe: 'Validates applied migrations against local files.',
    handler: async (argv) => {
      process.exitCode = await validate(configFile(argv));
    },
  },
  {
    command: 'destroy-metadata',
    describe:
      'Destroys all ksqlDB server resources related to migrations, including the migrations metadata stream and table and their underlying Kafka topics. WARNING: this is not reversible!',
    handler: async (argv) => {
      process.exitCode = await destroyMetadata(configFile(argv));
    },
  },
];

export const migrateCommand: CommandModule = {
  command: 'migrate',
  describe: "manage ksqlDB schema migrations (ksqlDB's ksql-migrations tool)",
  builder: (y: Argv) => {
    let built = y.version(false).option('config-file', {
      alias: 'c',
      type: 'string',
      describe: 'Path to migrations configuration file. Required for all commands with the exception of `new-project`.',
    }) as unknown as Argv<Args>;
    for (const sub of subcommands) built = built.command(sub);
    return built.demandCommand(1, 'Name a migrations command; `tally migrate --help` lists them.') as unknown as Argv;
  },
  handler: () => {},
};
