import path from 'node:path';
import { PROJECT_ROOT } from '../config/index.ts';

/** The `tally` command of this checkout: what the stack runs each service with. */
export const TALLY_BIN = path.join(PROJECT_ROOT, 'bin', 'tally');
