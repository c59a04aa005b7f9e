/**
 * The whole pipeline's answer against the producer's ground truth: reads the
 * metric tables the JDBC sink wrote into PostgreSQL (ksql/README.md) and
 * lists every figure that differs from producers/truth.ts. An empty list
 * means every metric of the election is exactly right: nothing lost, nothing
 * counted twice.
 */
import type pg from 'pg';
import type { Counts, ElectionTruth } from '../../producers/truth.ts';

type Queryable = Pick<pg.Pool, 'query'>;
type Row = Record<string, unknown>;

/** Every difference between the sink tables and the truth, as readable lines. */
export async function differencesFromTruth(db: Queryable, truth: ElectionTruth): Promise<string[]> {
  const differences: string[] = [];
  const rows = async (table: string): Promise<Row[]> => {
    try {
      return (await db.query(`SELECT * FROM ${table}`)).rows as Row[];
    } catch (error) {
      differences.push(`${table}: cannot read it (${(error as Error).message})`);
      return [];
    }
  };
  const expect = (what: string, actual: unknown, expected: unknown) => {
    const difference = describeDifference(actual, expected);
    if (difference) differences.push(`${what}: ${difference}`);
  };

  const byCandidate = await rows('votes_by_candidate');
  expect('votes_by_candidate', counts(byCandidate, 'candidate_id'), truth.votes_by_candidate);
  expect('votes_by_party', counts(await rows('votes_by_party'), 'party_id'), truth.votes_by_party);
  expect('votes_by_method', counts(await rows('votes_by_method'), 'method'), truth.votes_by_method);
  expect('votes_by_hour', counts(await rows('votes_by_hour'), 'hour_start'), truth.votes_by_hour);
  expect(
    'votes_by_polling_station',
    counts(await rows('votes_by_polling_station'), 'polling_station_id'),
    truth.votes_by_polling_station,
  );
  expect(
    'votes_by_education_party',
    nested(await rows('votes_by_education_party'), 'education', 'party_id'),
    truth.votes_by_education_party,
  );
  expect(
    'votes_by_income_candidate',
    nested(await rows('votes_by_income_candidate'), 'income_band', 'candidate_id'),
    truth.votes_by_income_candidate,
  );
  for (const [table, key, expected] of [
    ['turnout_by_region', 'region_id', truth.turnout.by_region],
    ['turnout_by_constituency', 'constituency_id', truth.turnout.by_constituency],
  ] as const) {
    const actual = Object.fromEntries(
      (await rows(table)).map((r) => [String(r[key]), { registered: Number(r.registered), voted: Number(r.voted) }]),
    );
    const wanted = Object.fromEntries(
      Object.entries(expected).map(([id, f]) => [id, { registered: f.registered, voted: f.voted }]),
    );
    expect(table, actual, wanted);
  }

  const integrity = counts(await rows('integrity_counts'), 'kind', 'records');
  const i = truth.integrity;
  expect(
    'integrity_counts',
    integrity,
    sparse({
      repeat_vote: i.repeat_votes,
      unregistered_voter: i.unregistered_voter_votes,
      unknown_candidate: i.unknown_candidate_votes,
      malformed: i.malformed_records,
    }),
  );
  const repeaters = await db
    .query(`SELECT COUNT(DISTINCT voter_id)::int AS n FROM integrity_events WHERE kind = 'repeat_vote'`)
    .then((r) => Number((r.rows[0] as Row).n))
    .catch((error: Error) => `cannot read integrity_events (${error.message})`);
  expect('repeat voters (integrity_events)', repeaters, i.repeat_voters);

  // The read-time rankings, by the truth's rules.
  const leader = ranked(byCandidate, 'candidate_id')[0];
  expect(
    'leading candidate',
    leader && { candidate_id: leader.candidate_id, votes: leader.votes },
    truth.leading_candidate && {
      candidate_id: truth.leading_candidate.candidate_id,
      votes: truth.leading_candidate.votes,
    },
  );
  const winners = constituencyWinners(await rows('votes_by_constituency_candidate'));
  expect(
    'constituency winners',
    winners,
    Object.fromEntries(
      Object.entries(truth.constituency_winners).map(([c, w]) => [c, { candidate_id: w.candidate_id, votes: w.votes }]),
    ),
  );
  return differences;
}

/** The winner of each constituency: most votes, ties to the smallest candidate_id. */
function constituencyWinners(rows: Row[]): Record<string, { candidate_id: string; votes: number }> {
  const byConstituency = new Map<string, Row[]>();
  for (const row of rows) {
    const c = String(row.constituency_id);
    byConstituency.set(c, [...(byConstituency.get(c) ?? []), row]);
  }
  const winners: Record<string, { candidate_id: string; votes: number }> = {};
  for (const [c, candidates] of byConstituency) {
    const top = ranked(candidates, 'candidate_id')[0];
    if (top && top.votes > 0) winners[c] = top;
  }
  return winners;
}

function ranked(rows: Row[], key: string): { candidate_id: string; votes: number }[] {
  return rows
    .map((r) => ({ candidate_id: String(r[key]), votes: Number(r.votes) }))
    .sort((a, b) => b.votes - a.votes || (a.candidate_id < b.candidate_id ? -1 : 1));
}

function counts(rows: Row[], key: string, value = 'votes'): Counts {
  return sparse(Object.fromEntries(rows.map((r) => [String(r[key]), Number(r[value])])));
}

function nested(rows: Row[], outer: string, inner: string): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const r of rows) {
    if (Number(r.votes) === 0) continue;
    const key = String(r[outer]);
    out[key] = { ...out[key], [String(r[inner])]: Number(r.votes) };
  }
  return out;
}

/** Like a GROUP BY's result: keys with 0 are absent. */
function sparse(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

/** Where two JSON-like values differ (a few keys at most), or null when they are equal. */
/**
 * Polls until every table equals the truth; fails after `timeoutMs` with the
 * differences left, and whatever `context` adds (what the stack was doing).
 */
export async function untilEqualToTruth(
  db: Queryable,
  truth: ElectionTruth,
  timeoutMs: number,
  context: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let differences = await differencesFromTruth(db, truth);
  while (differences.length > 0) {
    if (Date.now() >= deadline) {
      throw new Error(`still differing from the ground truth${context()}:\n${differences.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    differences = await differencesFromTruth(db, truth);
  }
}

export function describeDifference(actual: unknown, expected: unknown, path = ''): string | null {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return null;
  if (isRecord(actual) && isRecord(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    const lines = keys
      .map((k) => describeDifference(actual[k], expected[k], `${path}.${k}`))
      .filter((line): line is string => line !== null);
    if (lines.length === 0) return null;
    return `${lines.slice(0, 5).join('; ')}${lines.length > 5 ? `; and ${lines.length - 5} more` : ''}`;
  }
  return `${path || 'value'} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
