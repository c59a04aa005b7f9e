/**
 * The `tally` command. Each component contributes its own subcommands
 * (a yargs CommandModule exported from its `cli.ts`); this file only lists them.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { brokerCommand } from '../broker/cli.ts';
import { UserError } from '../config/index.ts';
import { connectCommand, connectorsCommand, schemaRegistryCommand } from '../connect/cli.ts';
import { conformanceCommand, ksqlServerCommand } from '../engine/index.ts';
import { ksqlCommand } from '../engine/ksql-cli/cli.ts';
import { migrateCommand } from '../engine/migrations/cli.ts';
import { produceCommand } from '../producers/cli.ts';
import { stackCommands } from '../stack/cli.ts';
import { dashboardCommand } from '../web/index.ts';

try {
  await yargs(hideBin(process.argv))
    .scriptName('tally')
    .usage('$0 <command> [options]\n\nReal-time election analytics on Kafka, ksqlDB and Postgres.')
    .command(stackCommands)
    .command(brokerCommand)
    .command(produceCommand)
    .command(conformanceCommand)
    .command(ksqlServerCommand)
    .command(ksqlCommand)
    .command(migrateCommand)
    .command(schemaRegistryCommand)
    .command(connectCommand)
    .command(connectorsCommand)
    .command(dashboardCommand)
    .demandCommand(1, 'Name a command; `tally --help` lists them.')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, error, y) => {
      if (error) throw error;
      console.error(`${y.help()}\n\n${message}`);
      process.exit(2);
    })
    .parseAsync();
} catch (error) {
  // Errors a user can act on are printed plainly; anything else keeps its stack.
  if (error instanceof UserError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
