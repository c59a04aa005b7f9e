/** `tally up|down|status|logs|psql|reset`: control of the whole stack. */
import type { CommandModule } from 'yargs';

export const stackCommands: CommandModule[] = [];
