/**
 * Malformed records: what a broken client or a corrupted message puts on the
 * votes topic. They are raw strings because they are not votes.
 *
 * Only defects that any JSON reader must reject are made, so that every
 * consumer classifies them alike. ksqlDB's JSON reader is lenient: it turns a
 * number into a STRING column and a numeric string into a BIGINT, so "wrong
 * type" here means a cast_at that is no integer at all (a word, a boolean, an
 * object), which fails deserialisation. A missing field and an explicit null
 * read alike, as a NULL column: the pipeline must treat a NULL in any vote
 * field as malformed.
 */
import { VOTE_FIELDS, type Vote } from './model.ts';
import { hash32 } from './random.ts';

export const MALFORMED_DEFECTS = ['bad_json', 'wrong_type', 'missing_field'] as const;
export type MalformedDefect = (typeof MALFORMED_DEFECTS)[number];

export interface MalformedRecord {
  /** The voter_id the sender had, or null when the record lost it. */
  key: string | null;
  value: string;
  defect: MalformedDefect;
}

/** Which defect plan entry `planIndex` carries: a function of the index, so the truth can count without building. */
export function malformedDefect(planIndex: number, key: number): MalformedDefect {
  return MALFORMED_DEFECTS[hash32(planIndex, key) % MALFORMED_DEFECTS.length] ?? 'bad_json';
}

const NOT_TIMES: readonly unknown[] = ['soon', 'yesterday evening', 'n/a', '', true, false, { seconds: 1 }];

/** Damages a vote in the way `malformedDefect(planIndex, key)` says. */
export function malformVote(vote: Vote, planIndex: number, key: number): MalformedRecord {
  const defect = malformedDefect(planIndex, key);
  const variant = hash32(planIndex, key ^ 0x3c6ef372);
  switch (defect) {
    case 'bad_json': {
      const json = JSON.stringify(vote);
      const text =
        variant % 3 === 0
          ? // Cut before the closing brace: never valid JSON.
            json.slice(0, 1 + (variant % (json.length - 2)))
          : variant % 3 === 1
            ? json.replaceAll('"', "'")
            : VOTE_FIELDS.map((f) => vote[f]).join(',');
      return { key: vote.voter_id, value: text, defect };
    }
    case 'wrong_type': {
      const castAt = NOT_TIMES[variant % NOT_TIMES.length];
      return { key: vote.voter_id, value: JSON.stringify({ ...vote, cast_at: castAt }), defect };
    }
    case 'missing_field': {
      const field = VOTE_FIELDS[variant % VOTE_FIELDS.length] ?? 'voter_id';
      const damaged: Record<string, unknown> = { ...vote };
      if ((variant >>> 8) % 2 === 0) delete damaged[field];
      else damaged[field] = null;
      return { key: field === 'voter_id' ? null : vote.voter_id, value: JSON.stringify(damaged), defect };
    }
  }
}
