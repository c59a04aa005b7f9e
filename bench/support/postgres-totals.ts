/**
 * The votes counted in PostgreSQL, polled: SUM(votes) of votes_by_method
 * (every counted vote has one method) and SUM(voted) of turnout_by_region
 * (what the dashboard's totals show), read in one statement, each reading
 * noted with the time its answer arrived (performance.now()). A reading's
 * time is an upper bound: the snapshot was taken between sending the query
 * and its answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Observation } from './arrivals.ts';

const TOTALS_SQL = `SELECT
  (SELECT COALESCE(SUM(votes), 0) FROM votes_by_method)::bigint AS counted,
  (SELECT COALESCE(SUM(voted), 0) FROM turnout_by_region)::bigint AS voted`;

const UNDEFINED_TABLE = '42P01';

export interface PostgresTotals {
  /** votes_by_method's total, over time. */
  counted: Observation[];
  /** turnout_by_region's total, over time. */
  voted: Observation[];
  /** The last reading of votes_by_method's total. */
  readonly latest: number;
  stop(): Promise<void>;
}

/** Polls every `intervalMs` until stopped; resolves after the first reading. */
export async function pollPostgresTotals(databaseUrl: string, intervalMs: number): Promise<PostgresTotals> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counted: Observation[] = [];
  const voted: Observation[] = [];
  const read = async () => {
    let row = { counted: '0', voted: '0' };
    try {
      row = (await client.query<{ counted: string; voted: string }>(TOTALS_SQL)).rows[0] ?? row;
    } catch (error) {
      // The sink creates each table with its first row: none yet is 0 votes.
      if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
    }
    const at = performance.now();
    counted.push({ at, total: Number(row.counted) });
    voted.push({ at, total: Number(row.voted) });
  };
  await read();
  let running = true;
  let failure: Error | undefined;
  const loop = (async () => {
    try {
      while (running) {
        await sleep(intervalMs);
        await read();
      }
    } catch (error) {
      failure = error as Error;
      console.error(`polling PostgreSQL failed: ${failure.message}`);
    }
  })();
  return {
    counted,
    voted,
    get latest() {
      return counted.at(-1)?.total ?? 0;
    },
    async stop() {
      running = false;
      await loop;
      await client.end();
      if (failure) throw failure;
    },
  };
}
