/**
 * Identifiers. Geography and candidate ids are short and readable (they appear
 * in SQL and on the dashboard); voter and vote ids are UUID-shaped like a real
 * register's, derived from an index so any id can be recomputed at random.
 */
import { hash32, permute32 } from './random.ts';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return (
    (HEX[(x >>> 24) & 255] ?? '') + (HEX[(x >>> 16) & 255] ?? '') + (HEX[(x >>> 8) & 255] ?? '') + (HEX[x & 255] ?? '')
  );
}

function hex16(x: number): string {
  return (HEX[(x >>> 8) & 255] ?? '') + (HEX[x & 255] ?? '');
}

/**
 * A version-4-shaped UUID for `index` under `key`. The first 32 bits are a
 * bijection of the index, so two indices below 2^32 never share an id.
 */
export function indexUuid(index: number, key: number): string {
  const a = permute32(index, key);
  const b = hash32(index, key ^ 0x5bd1e995);
  const c = hash32(index, key ^ 0x1b873593);
  const d = hash32(index, key ^ 0xcc9e2d51);
  return `${hex32(a)}-${hex16(b >>> 16)}-${hex16(0x4000 | (b & 0x0fff))}-${hex16(0x8000 | ((c >>> 16) & 0x3fff))}-${hex16(c)}${hex32(d)}`;
}

function numbered(prefix: string, n: number, width: number): string {
  return `${prefix}${String(n).padStart(width, '0')}`;
}

export const regionId = (index: number): string => numbered('R', index + 1, 2);
export const constituencyId = (index: number): string => numbered('C', index + 1, 3);
export const pollingStationId = (index: number): string => numbered('PS', index + 1, 5);
/** Parliamentary candidates are identified by seat and party: at most one per party per constituency. */
export const constituencyCandidateId = (constituency: string, party: string): string => `${constituency}-${party}`;
export const NATIONAL_CANDIDATE_PREFIX = 'PRES';
export const nationalCandidateId = (party: string): string => `${NATIONAL_CANDIDATE_PREFIX}-${party}`;
