/**
 * The election that `make up` plays: `tally produce election --resume` at a
 * speed that fits polling day into minutes, as the last service of the
 * embedded stack. It is ready once the first counted votes have come through
 * the whole pipeline into PostgreSQL, which is what the dashboard shows, and
 * finished when polling day is over. `--resume` makes a restart (after
 * `make down`, a crash, a kill -9) go on where it stopped.
 */
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import type { ServiceDefinition } from './service.ts';
import { TALLY_BIN } from './tally-bin.ts';

/** The sink table whose rows mean "votes have reached PostgreSQL". */
const COUNTED_VOTES_SQL = 'SELECT COALESCE(SUM(votes), 0)::bigint AS n FROM votes_by_method';

export function electionService(config: Config): ServiceDefinition {
  const { electionScenario: scenario, electionSeed: seed, electionSpeed: speed } = config.settings;
  return {
    name: 'election',
    address: `scenario ${scenario}, seed ${seed}, ${speed > 0 ? `polling day at ${speed}x` : 'as fast as possible'}`,
    finishes: true,
    process: () => ({
      command: TALLY_BIN,
      args: [
        'produce',
        'election',
        ...['--scenario', scenario, '--seed', String(seed)],
        ...(speed > 0 ? ['--speed', String(speed)] : []),
        ...['--truth', electionTruthFile(config), '--resume'],
      ],
    }),
    ready: throttled(1000, async () => (await countedVotes(config.postgres.url)) > 0),
    // The first votes wait for the voters before them and for the pipeline to start its queries.
    startTimeoutMs: 300_000,
    stopTimeoutMs: 15_000,
  };
}

/** Where the election's ground truth is written: what every metric will show when polling day is over. */
export function electionTruthFile(config: Config): string {
  return path.join(config.dataDir, 'election', 'truth.json');
}

/** Votes counted in PostgreSQL so far; 0 while the sink table does not exist yet. */
export async function countedVotes(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>(COUNTED_VOTES_SQL);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

/** At most one real check per interval; in between, the last answer. */
function throttled(intervalMs: number, check: () => Promise<boolean>): () => Promise<boolean> {
  let last = { at: 0, answer: false };
  return async () => {
    if (Date.now() - last.at < intervalMs) return last.answer;
    last = { at: Date.now(), answer: await check() };
    return last.answer;
  };
}
