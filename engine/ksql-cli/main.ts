/**
 * `tally ksql` on its own (what `bin/tally ksql` runs, without loading the
 * other commands): `node --import tsx engine/ksql-cli/main.ts [server-url] [-e ...]`.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ksqlCommand } from './cli.ts';

await yargs(hideBin(process.argv))
  .scriptName('tally ksql')
  .command({ ...ksqlCommand, command: '$0 [server]' })
  .strict()
  .help()
  .parseAsync();
