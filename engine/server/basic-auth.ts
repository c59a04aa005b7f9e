/**
 * Optional HTTP basic authentication for the ksqlDB server
 * (TALLY_KSQLDB_BASIC_AUTH_USERS): every request but the health check must
 * carry one of the configured user:password pairs, as ksqlDB's
 * `authentication.method=BASIC` asks; others get 401 with a Basic challenge.
 */
import { timingSafeEqual } from 'node:crypto';

export type BasicAuthUsers = Readonly<Record<string, string>>;

/** Paths a load balancer polls without credentials. */
const OPEN_PATHS = new Set(['/healthcheck']);

export function isAuthorized(users: BasicAuthUsers, path: string, header: string | undefined): boolean {
  if (OPEN_PATHS.has(path)) return true;
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const expected = users[decoded.slice(0, colon)];
  if (expected === undefined) return false;
  const given = Buffer.from(decoded.slice(colon + 1));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export const UNAUTHORIZED = {
  '@type': 'generic_error',
  error_code: 40100,
  message: 'Unauthorized',
} as const;
