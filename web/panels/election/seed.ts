/**
 * The contract's tables filled from an election's ground truth, as the JDBC
 * sink would leave them once the whole election has gone through the
 * pipeline. For tests (the read-time derivations must equal the truth's) and
 * the benchmark; the dashboard itself never writes.
 */
import pg from 'pg';
import type { Election } from '../../../producers/index.ts';
import { type ContractTable, contractDdl } from './contract.ts';

type Row = unknown[];

/** Rows per table, in the contract's column order. */
export function electionRows(election: Election): Record<ContractTable, Row[]> {
  const truth = election.truth();
  const candidates = new Map(election.candidates.map((c) => [c.candidate_id, c]));
  const constituencies = new Map(election.constituencies.map((c) => [c.constituency_id, c]));
  const stations = new Map(election.pollingStations.map((s) => [s.polling_station_id, s]));
  const voterConstituency = new Map<string, string>();
  for (const { value } of election.voters()) voterConstituency.set(value.voter_id, value.constituency_id);

  // Per constituency (the voter's) and candidate: recounted from the votes the truth counts.
  const byConstituencyCandidate = new Map<string, number>();
  const events: Row[] = [];
  for (const event of election.votes()) {
    if (event.kind === 'malformed') continue;
    const vote = event.value;
    if (event.category === 'counted') {
      const key = `${voterConstituency.get(vote.voter_id)}\u0000${vote.candidate_id}`;
      byConstituencyCandidate.set(key, (byConstituencyCandidate.get(key) ?? 0) + 1);
    } else {
      const kind = event.category === 'repeat' ? 'repeat_vote' : event.category;
      events.push([kind, vote.vote_id, vote.voter_id, vote.candidate_id, vote.polling_station_id, kind, vote.cast_at]);
    }
  }
  const entries = (counts: Record<string, number>) => Object.entries(counts);
  const nested = (counts: Record<string, Record<string, number>>) =>
    Object.entries(counts).flatMap(([outer, inner]) => Object.entries(inner).map(([k, v]) => [outer, k, v]));
  return {
    dim_regions: election.regions.map((r) => [r.region_id, r.name]),
    dim_constituencies: election.constituencies.map((c) => [c.constituency_id, c.name, c.region_id]),
    dim_polling_stations: election.pollingStations.map((s) => [
      s.polling_station_id,
      s.name,
      s.address,
      s.constituency_id,
      s.region_id,
    ]),
    dim_parties: election.parties.map((p) => [p.party_id, p.name, p.color]),
    dim_candidates: election.candidates.map((c) => [
      c.candidate_id,
      c.name,
      c.party_id,
      c.party_name,
      c.constituency_id,
      c.region_id,
      c.photo,
    ]),
    votes_by_candidate: entries(truth.votes_by_candidate).map(([id, votes]) => [
      id,
      candidates.get(id)?.party_id,
      votes,
    ]),
    votes_by_party: entries(truth.votes_by_party),
    votes_by_constituency_candidate: [...byConstituencyCandidate].map(([key, votes]) => {
      const [constituency, candidate] = key.split('\u0000') as [string, string];
      return [constituency, candidate, candidates.get(candidate)?.party_id, votes];
    }),
    turnout_by_region: Object.entries(truth.turnout.by_region).map(([id, t]) => [id, t.registered, t.voted, t.turnout]),
    turnout_by_constituency: Object.entries(truth.turnout.by_constituency).map(([id, t]) => [
      id,
      constituencies.get(id)?.region_id,
      t.registered,
      t.voted,
      t.turnout,
    ]),
    votes_by_polling_station: entries(truth.votes_by_polling_station).map(([id, votes]) => [
      id,
      stations.get(id)?.constituency_id,
      stations.get(id)?.region_id,
      votes,
    ]),
    votes_by_education_party: nested(truth.votes_by_education_party),
    votes_by_income_candidate: nested(truth.votes_by_income_candidate),
    votes_by_method: entries(truth.votes_by_method),
    votes_by_hour: entries(truth.votes_by_hour).map(([hour, votes]) => [Number(hour), votes]),
    integrity_counts: [
      ['repeat_vote', truth.integrity.repeat_votes],
      ['unregistered_voter', truth.integrity.unregistered_voter_votes],
      ['unknown_candidate', truth.integrity.unknown_candidate_votes],
      ['malformed', truth.integrity.malformed_records],
    ],
    integrity_events: events,
  };
}

/** Inserts rows into existing tables, in one transaction per call (as one sink batch). */
export async function insertRows(db: pg.Client | pg.Pool, schema: string, rows: Partial<Record<ContractTable, Row[]>>) {
  const client = db instanceof pg.Pool ? await db.connect() : db;
  try {
    await client.query('BEGIN');
    for (const [table, values] of Object.entries(rows) as [ContractTable, Row[]][]) {
      for (let start = 0; start < values.length; start += 500) {
        const chunk = values.slice(start, start + 500);
        const width = chunk[0]?.length ?? 0;
        const placeholders = chunk.map(
          (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
        );
        await client.query(
          `INSERT INTO ${pg.escapeIdentifier(schema)}.${table} VALUES ${placeholders.join(', ')}`,
          chunk.flat(),
        );
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    if (db instanceof pg.Pool) (client as pg.PoolClient).release();
  }
}

/** Creates the contract's tables in `schema` and fills them from the election. */
export async function seedElection(url: string, schema: string, election: Election): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(contractDdl(schema));
    await insertRows(client, schema, electionRows(election));
  } finally {
    await client.end();
  }
}
