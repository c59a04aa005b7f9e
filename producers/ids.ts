/**
 * Identifiers. Geography and candidate ids are short and readable (they appear
 * in SQL and on the dashboard); voter and vote ids are UUID-shaped like a real
 * register's, derived from an index so any id can be recomputed at random.
 */
import { hash32, permute32 } from './random.ts';

const HEX_DIGITS = Buffer.from('0123456789abcdef');
/**
 * Where indexUuid spells an id. One flat string read from bytes costs less
 * than one joined from a dozen short strings, and less again where it is
 * written out (a vote's value is encoded once per record).
 */
const uuidBytes = Buffer.from('00000000-0000-0000-0000-000000000000');

/** Writes the low `digits` hex digits of `x` at `at`. */
function putHex(target: Uint8Array, x: number, at: number, digits: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    target[i] = HEX_DIGITS[x & 15] ?? 0;
    x >>>= 4;
  }
}

/**
 * A version-4-shaped UUID for `index` under `key`. The first 32 bits are a
 * bijection of the index, so two indices below 2^32 never share an id.
 */
export function indexUuid(index: number, key: number): string {
  const b = hash32(index, key ^ 0x5bd1e995);
  const c = hash32(index, key ^ 0x1b873593);
  // The dashes stay where uuidBytes has them.
  putHex(uuidBytes, permute32(index, key), 0, 8);
  putHex(uuidBytes, b >>> 16, 9, 4);
  putHex(uuidBytes, 0x4000 | (b & 0x0fff), 14, 4);
  putHex(uuidBytes, 0x8000 | ((c >>> 16) & 0x3fff), 19, 4);
  putHex(uuidBytes, c, 24, 4);
  putHex(uuidBytes, hash32(index, key ^ 0xcc9e2d51), 28, 8);
  return uuidBytes.toString('latin1');
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
