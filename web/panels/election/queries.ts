/**
 * Every SQL query of the election panels, and the read-time derivations that
 * ksqlDB cannot compute (an argmax over an updating table):
 *
 * - leading candidate: the top row of votes_by_candidate, ties to the smallest candidate_id;
 * - constituency winners: per constituency the top row of
 *   votes_by_constituency_candidate, ties to the smallest candidate_id and
 *   flagged `tied`; no winner without a vote;
 * - seats: winners counted by party;
 * - top polling stations: votes descending, polling_station_id ascending;
 * - totals: SUM(registered) and SUM(voted) of turnout_by_region, their ratio,
 *   COUNT(dim_candidates).
 *
 * Ids compare as bytes (COLLATE "C"), as producers/truth.ts compares them,
 * whatever the database's collation. A contract table that does not exist
 * yet reads as an empty relation of its columns (see contract.ts).
 */
import pg from 'pg';
import { CONTRACT_TABLES, type ContractTable, INTEGRITY_KINDS } from './contract.ts';

type Db = pg.Pool | pg.Client | pg.PoolClient;

export interface Totals {
  registered: number;
  voted: number;
  /** voted / registered; 0 before any voter is registered. */
  turnout: number;
  candidates: number;
}

export interface CandidateVotes {
  candidate_id: string;
  party_id: string | null;
  votes: number;
  name: string | null;
  party_name: string | null;
  color: string | null;
  photo: string | null;
  constituency_id: string | null;
}

export interface Leader {
  leader: CandidateVotes;
  runnerUp: CandidateVotes | null;
  /** Votes ahead of the runner-up (all of them when there is none). */
  margin: number;
}

export interface PartyVotes {
  party_id: string;
  name: string | null;
  color: string | null;
  votes: number;
}

export interface ConstituencyWinner {
  constituency_id: string;
  candidate_id: string;
  party_id: string | null;
  votes: number;
  runner_up_votes: number;
  tied: boolean;
}

export interface PartySeats {
  party_id: string;
  name: string | null;
  color: string | null;
  seats: number;
}

export interface SeatsSummary {
  seats: PartySeats[];
  declared: number;
  /** Constituencies of dim_constituencies without a vote yet. */
  open: number;
}

export interface RegionTurnout {
  region_id: string;
  name: string | null;
  registered: number;
  voted: number;
  turnout: number;
}

export interface ConstituencyResultRow {
  constituency_id: string;
  name: string | null;
  registered: number;
  voted: number;
  turnout: number;
  winner_id: string | null;
  winner_name: string | null;
  winner_party: string | null;
  winner_color: string | null;
  winner_votes: number;
  runner_up_votes: number;
  tied: boolean;
}

export const STATION_SORTS = ['votes', 'name', 'region', 'id'] as const;
export type StationSort = (typeof STATION_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

export interface StationQuery {
  /** Part of the station's name or id, case-insensitive. */
  q?: string;
  region?: string;
  sort?: StationSort;
  dir?: SortDirection;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface StationRow {
  polling_station_id: string;
  name: string | null;
  constituency_id: string | null;
  region_id: string | null;
  region_name: string | null;
  votes: number;
}

export interface StationPage {
  rows: StationRow[];
  /** Stations matching the filter, over all pages. */
  total: number;
  page: number;
  pageSize: number;
}

export interface Cell {
  row: string;
  column: string;
  votes: number;
}

export interface IntegrityEvent {
  kind: string;
  vote_id: string | null;
  voter_id: string | null;
  candidate_id: string | null;
  polling_station_id: string | null;
  reason: string | null;
  /** Epoch millis (the sink writes ksqlDB's BIGINT), or null. */
  cast_at: number | null;
}

export interface IntegritySummary {
  counts: { kind: string; records: number }[];
  repeatVoters: number;
  latest: IntegrityEvent[];
}

const STATION_ORDER: Record<StationSort, string> = {
  votes: 'v.votes',
  name: 's.name',
  region: 'coalesce(r.name, v.region_id)',
  id: 'v.polling_station_id COLLATE "C"',
};

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** `%`, `_` and `\` match themselves in ILIKE. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class ElectionQueries {
  constructor(
    readonly db: Db,
    readonly schema: string,
    /** The tables that exist now; the others read as empty. */
    readonly existing: ReadonlySet<string>,
  ) {}

  /** A contract table, or an empty relation with its columns while it does not exist. */
  t(table: ContractTable): string {
    if (this.existing.has(table)) return `${pg.escapeIdentifier(this.schema)}.${pg.escapeIdentifier(table)}`;
    const columns = Object.entries(CONTRACT_TABLES[table]).map(([name, type]) => `NULL::${type} AS ${name}`);
    return `(SELECT ${columns.join(', ')} WHERE false)`;
  }

  has(table: ContractTable): boolean {
    return this.existing.has(table);
  }

  async totals(): Promise<Totals> {
    const { rows } = await this.db.query(
      `SELECT (SELECT sum(registered)::float8 FROM ${this.t('turnout_by_region')}) AS registered,
              (SELECT sum(voted)::float8 FROM ${this.t('turnout_by_region')}) AS voted,
              (SELECT count(*)::float8 FROM ${this.t('dim_candidates')}) AS candidates`,
    );
    const registered = num(rows[0]?.registered);
    const voted = num(rows[0]?.voted);
    return {
      registered,
      voted,
      turnout: registered > 0 ? voted / registered : 0,
      candidates: num(rows[0]?.candidates),
    };
  }

  /** Candidates by votes, most first, ties by candidate_id; `limit` rows at most. */
  async votesByCandidate(limit = 1000): Promise<CandidateVotes[]> {
    const { rows } = await this.db.query(
      `SELECT v.candidate_id, coalesce(v.party_id, c.party_id) AS party_id, v.votes::float8 AS votes, c.name,
              coalesce(c.party_name, p.name) AS party_name, p.color, c.photo, c.constituency_id
         FROM ${this.t('votes_by_candidate')} v
         LEFT JOIN ${this.t('dim_candidates')} c ON c.candidate_id = v.candidate_id
         LEFT JOIN ${this.t('dim_parties')} p ON p.party_id = coalesce(v.party_id, c.party_id)
        ORDER BY v.votes DESC NULLS LAST, v.candidate_id COLLATE "C"
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      candidate_id: String(r.candidate_id),
      party_id: str(r.party_id),
      votes: num(r.votes),
      name: str(r.name),
      party_name: str(r.party_name),
      color: str(r.color),
      photo: str(r.photo),
      constituency_id: str(r.constituency_id),
    }));
  }

  async countCandidatesWithVotes(): Promise<number> {
    const { rows } = await this.db.query(`SELECT count(*)::float8 AS n FROM ${this.t('votes_by_candidate')}`);
    return num(rows[0]?.n);
  }

  /** The leading candidate and the runner-up; null before any counted vote. */
  async leader(): Promise<Leader | null> {
    const [first, second] = await this.votesByCandidate(2);
    if (!first || first.votes <= 0) return null;
    return { leader: first, runnerUp: second ?? null, margin: first.votes - (second?.votes ?? 0) };
  }

  async votesByParty(): Promise<PartyVotes[]> {
    const { rows } = await this.db.query(
      `SELECT v.party_id, p.name, p.color, v.votes::float8 AS votes
         FROM ${this.t('votes_by_party')} v LEFT JOIN ${this.t('dim_parties')} p ON p.party_id = v.party_id
        ORDER BY v.votes DESC NULLS LAST, v.party_id COLLATE "C"`,
    );
    return rows.map((r) => ({
      party_id: String(r.party_id),
      name: str(r.name),
      color: str(r.color),
      votes: num(r.votes),
    }));
  }

  /** The winners' query, for reuse: one row per constituency with a vote. */
  #winnersSql(where = ''): string {
    return `WITH ranked AS (
              SELECT constituency_id, candidate_id, party_id, votes,
                     row_number() OVER w AS rank, lead(votes) OVER w AS runner_up
                FROM ${this.t('votes_by_constituency_candidate')} ${where}
              WINDOW w AS (PARTITION BY constituency_id ORDER BY votes DESC NULLS LAST, candidate_id COLLATE "C"))
            SELECT constituency_id, candidate_id, party_id, votes::float8 AS votes,
                   coalesce(runner_up, 0)::float8 AS runner_up_votes, coalesce(runner_up = votes, false) AS tied
              FROM ranked WHERE rank = 1 AND votes > 0`;
  }

  /** Per constituency, its winner (see the module's comment for ties). */
  async constituencyWinners(): Promise<ConstituencyWinner[]> {
    const { rows } = await this.db.query(`${this.#winnersSql()} ORDER BY constituency_id COLLATE "C"`);
    return rows.map((r) => ({
      constituency_id: String(r.constituency_id),
      candidate_id: String(r.candidate_id),
      party_id: str(r.party_id),
      votes: num(r.votes),
      runner_up_votes: num(r.runner_up_votes),
      tied: Boolean(r.tied),
    }));
  }

  /** Seats (constituencies won) per party, most first, and how many constituencies are still open. */
  async seats(): Promise<SeatsSummary> {
    const [seats, open] = await Promise.all([
      this.db.query(
        `WITH winners AS (${this.#winnersSql()})
         SELECT w.party_id, p.name, p.color, count(*)::float8 AS seats
           FROM winners w LEFT JOIN ${this.t('dim_parties')} p ON p.party_id = w.party_id
          GROUP BY w.party_id, p.name, p.color
          ORDER BY seats DESC, w.party_id COLLATE "C"`,
      ),
      this.db.query(
        `SELECT count(*)::float8 AS open FROM ${this.t('dim_constituencies')} d
          WHERE NOT EXISTS (SELECT 1 FROM ${this.t('votes_by_constituency_candidate')} v
                             WHERE v.constituency_id = d.constituency_id AND v.votes > 0)`,
      ),
    ]);
    const parties = seats.rows.map((r) => ({
      party_id: String(r.party_id),
      name: str(r.name),
      color: str(r.color),
      seats: num(r.seats),
    }));
    return { seats: parties, declared: parties.reduce((sum, p) => sum + p.seats, 0), open: num(open.rows[0]?.open) };
  }

  async turnoutByRegion(): Promise<RegionTurnout[]> {
    const { rows } = await this.db.query(
      `SELECT t.region_id, r.name, t.registered::float8 AS registered, t.voted::float8 AS voted, t.turnout
         FROM ${this.t('turnout_by_region')} t LEFT JOIN ${this.t('dim_regions')} r ON r.region_id = t.region_id
        ORDER BY t.region_id COLLATE "C"`,
    );
    return rows.map((r) => ({
      region_id: String(r.region_id),
      name: str(r.name),
      registered: num(r.registered),
      voted: num(r.voted),
      turnout: num(r.turnout),
    }));
  }

  async regionName(regionId: string): Promise<string | null> {
    const { rows } = await this.db.query(`SELECT name FROM ${this.t('dim_regions')} WHERE region_id = $1`, [regionId]);
    return str(rows[0]?.name);
  }

  /** The constituencies of a region, their turnout and their result so far. */
  async regionResults(regionId: string): Promise<ConstituencyResultRow[]> {
    const { rows } = await this.db.query(
      `WITH ids AS (
              SELECT constituency_id FROM ${this.t('dim_constituencies')} WHERE region_id = $1
              UNION SELECT constituency_id FROM ${this.t('turnout_by_constituency')} WHERE region_id = $1),
            winners AS (${this.#winnersSql(`WHERE constituency_id IN (SELECT constituency_id FROM ids)`)})
       SELECT i.constituency_id, d.name, t.registered::float8 AS registered, t.voted::float8 AS voted, t.turnout,
              w.candidate_id AS winner_id, c.name AS winner_name, w.party_id AS winner_party, p.color AS winner_color,
              w.votes AS winner_votes, w.runner_up_votes, w.tied
         FROM ids i
         LEFT JOIN ${this.t('dim_constituencies')} d ON d.constituency_id = i.constituency_id
         LEFT JOIN ${this.t('turnout_by_constituency')} t ON t.constituency_id = i.constituency_id
         LEFT JOIN winners w ON w.constituency_id = i.constituency_id
         LEFT JOIN ${this.t('dim_candidates')} c ON c.candidate_id = w.candidate_id
         LEFT JOIN ${this.t('dim_parties')} p ON p.party_id = w.party_id
        ORDER BY i.constituency_id COLLATE "C"`,
      [regionId],
    );
    return rows.map((r) => ({
      constituency_id: String(r.constituency_id),
      name: str(r.name),
      registered: num(r.registered),
      voted: num(r.voted),
      turnout: num(r.turnout),
      winner_id: str(r.winner_id),
      winner_name: str(r.winner_name),
      winner_party: str(r.winner_party),
      winner_color: str(r.winner_color),
      winner_votes: num(r.winner_votes),
      runner_up_votes: num(r.runner_up_votes),
      tied: Boolean(r.tied),
    }));
  }

  async regions(): Promise<{ region_id: string; name: string | null }[]> {
    const { rows } = await this.db.query(
      `SELECT region_id, max(name) AS name FROM (
         SELECT region_id, name FROM ${this.t('dim_regions')}
         UNION ALL SELECT region_id, NULL FROM ${this.t('turnout_by_region')}) r
        WHERE region_id IS NOT NULL GROUP BY region_id ORDER BY region_id COLLATE "C"`,
    );
    return rows.map((r) => ({ region_id: String(r.region_id), name: str(r.name) }));
  }

  /** One page of polling stations, filtered and sorted; the default order is the top stations'. */
  async stations(query: StationQuery = {}): Promise<StationPage> {
    const sort = query.sort ?? 'votes';
    const dir = query.dir ?? (sort === 'votes' ? 'desc' : 'asc');
    const pageSize = query.pageSize ?? 10;
    const page = Math.max(1, query.page ?? 1);
    const { rows } = await this.db.query(
      `SELECT v.polling_station_id, s.name, coalesce(v.constituency_id, s.constituency_id) AS constituency_id,
              coalesce(v.region_id, s.region_id) AS region_id, r.name AS region_name, v.votes::float8 AS votes,
              count(*) OVER ()::float8 AS total
         FROM ${this.t('votes_by_polling_station')} v
         LEFT JOIN ${this.t('dim_polling_stations')} s ON s.polling_station_id = v.polling_station_id
         LEFT JOIN ${this.t('dim_regions')} r ON r.region_id = coalesce(v.region_id, s.region_id)
        WHERE ($1 = '' OR s.name ILIKE '%' || $1 || '%' OR v.polling_station_id ILIKE '%' || $1 || '%')
          AND ($2 = '' OR coalesce(v.region_id, s.region_id) = $2)
        ORDER BY ${STATION_ORDER[sort]} ${dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, v.polling_station_id COLLATE "C"
        LIMIT $3 OFFSET $4`,
      [likeEscape(query.q ?? ''), query.region ?? '', pageSize, (page - 1) * pageSize],
    );
    let total = num(rows[0]?.total);
    if (rows.length === 0 && page > 1) {
      // Past the last page: the count still tells the pager where the last one is.
      const count = await this.stations({ ...query, page: 1, pageSize: 1 });
      total = count.total;
    }
    return {
      rows: rows.map((r) => ({
        polling_station_id: String(r.polling_station_id),
        name: str(r.name),
        constituency_id: str(r.constituency_id),
        region_id: str(r.region_id),
        region_name: str(r.region_name),
        votes: num(r.votes),
      })),
      total,
      page,
      pageSize,
    };
  }

  /** The `n` polling stations with most votes, ties by polling_station_id. */
  async topPollingStations(n = 10): Promise<StationRow[]> {
    return (await this.stations({ sort: 'votes', dir: 'desc', pageSize: n })).rows;
  }

  async votesByEducationParty(): Promise<Cell[]> {
    const { rows } = await this.db.query(
      `SELECT education AS row, party_id AS column, votes::float8 AS votes FROM ${this.t('votes_by_education_party')}`,
    );
    return rows.map((r) => ({ row: String(r.row), column: String(r.column), votes: num(r.votes) }));
  }

  async votesByIncomeCandidate(): Promise<Cell[]> {
    const { rows } = await this.db.query(
      `SELECT income_band AS row, candidate_id AS column, votes::float8 AS votes FROM ${this.t('votes_by_income_candidate')}`,
    );
    return rows.map((r) => ({ row: String(r.row), column: String(r.column), votes: num(r.votes) }));
  }

  /** Candidates' names, parties and colours, for labelling. */
  async candidateLabels(): Promise<
    Map<string, { name: string | null; party_id: string | null; color: string | null }>
  > {
    const { rows } = await this.db.query(
      `SELECT c.candidate_id, c.name, c.party_id, p.color FROM ${this.t('dim_candidates')} c
         LEFT JOIN ${this.t('dim_parties')} p ON p.party_id = c.party_id`,
    );
    return new Map(
      rows.map((r) => [String(r.candidate_id), { name: str(r.name), party_id: str(r.party_id), color: str(r.color) }]),
    );
  }

  async parties(): Promise<Map<string, { name: string | null; color: string | null }>> {
    const { rows } = await this.db.query(`SELECT party_id, name, color FROM ${this.t('dim_parties')}`);
    return new Map(rows.map((r) => [String(r.party_id), { name: str(r.name), color: str(r.color) }]));
  }

  async votesByHour(): Promise<{ hour_start: number; votes: number }[]> {
    const { rows } = await this.db.query(
      `SELECT hour_start::float8 AS hour_start, votes::float8 AS votes FROM ${this.t('votes_by_hour')} ORDER BY hour_start`,
    );
    return rows.map((r) => ({ hour_start: num(r.hour_start), votes: num(r.votes) }));
  }

  async votesByMethod(): Promise<{ method: string; votes: number }[]> {
    const { rows } = await this.db.query(
      `SELECT method, votes::float8 AS votes FROM ${this.t('votes_by_method')} ORDER BY method COLLATE "C"`,
    );
    return rows.map((r) => ({ method: String(r.method), votes: num(r.votes) }));
  }

  /** Counts by kind (every known kind, 0 when absent), repeat voters, and the latest `limit` events, newest first. */
  async integrity(limit = 10): Promise<IntegritySummary> {
    const [counts, repeaters, latest] = await Promise.all([
      this.db.query(`SELECT kind, records::float8 AS records FROM ${this.t('integrity_counts')}`),
      this.db.query(
        `SELECT count(DISTINCT voter_id)::float8 AS n FROM ${this.t('integrity_events')} WHERE kind = 'repeat_vote'`,
      ),
      this.db.query(
        `SELECT kind, vote_id, voter_id, candidate_id, polling_station_id, reason, cast_at
           FROM ${this.t('integrity_events')}
          ORDER BY cast_at DESC NULLS LAST, vote_id COLLATE "C" DESC LIMIT $1`,
        [limit],
      ),
    ]);
    const byKind = new Map<string, number>(INTEGRITY_KINDS.map((k) => [k, 0]));
    for (const r of counts.rows) byKind.set(String(r.kind), num(r.records));
    return {
      counts: [...byKind].map(([kind, records]) => ({ kind, records })),
      repeatVoters: num(repeaters.rows[0]?.n),
      latest: latest.rows.map((r) => ({
        kind: String(r.kind),
        vote_id: str(r.vote_id),
        voter_id: str(r.voter_id),
        candidate_id: str(r.candidate_id),
        polling_station_id: str(r.polling_station_id),
        reason: str(r.reason),
        cast_at: r.cast_at === null || r.cast_at === undefined ? null : epochMillis(r.cast_at),
      })),
    };
  }
}

/** cast_at as the sink writes it (BIGINT millis), or as a timestamp should a sink map it to one. */
function epochMillis(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number(value);
}
