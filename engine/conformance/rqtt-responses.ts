/**
 * Compares what `/ksql` and `/query` answered with an RQTT case's
 * `responses` and `expectedError`, as ksqlDB's RestTestExecutor does:
 * an expected object names only the fields it tests (recursively), a key
 * `name|STARTS_WITH` tests a prefix, `{STATEMENT}` stands for the
 * statement's text; a query answer must have exactly the expected number
 * of header, row and final-message entries; an expected error matches on
 * status, message (a part of it) and type (a statement error carries the
 * failing statement's text).
 */
import { describeDifference } from './compare.ts';
import type { RqttExpectedError, RqttResponse } from './rqtt.ts';

/** What one statement got back: admin entities come one per entity, a query its whole answer. */
export type ActualResponse =
  | { readonly kind: 'admin'; readonly entity: unknown }
  | { readonly kind: 'query'; readonly entries: readonly unknown[] };

/** An error answer: the HTTP status and its body (KsqlErrorMessage or KsqlStatementErrorMessage). */
export interface ActualError {
  readonly status: number;
  readonly body: unknown;
}

/** null when the responses match, else where they first differ. */
export function compareResponses(
  expected: readonly RqttResponse[],
  actual: readonly ActualResponse[],
  statements: readonly string[],
): string | null {
  if (actual.length < expected.length) {
    return `expected ${expected.length} responses, got ${actual.length}`;
  }
  for (const [idx, response] of expected.entries()) {
    const entries = Object.entries(response);
    if (entries.length !== 1) return `responses[${idx}]: expected one of admin or query, got ${Object.keys(response)}`;
    const [type, payload] = entries[0] as [string, unknown];
    const got = actual[idx] as ActualResponse;
    const at = `responses[${idx}]->${type}`;
    if (type !== got.kind) return `${at}: expected a ${type} response, got a ${got.kind} response`;
    if (got.kind === 'admin') {
      const d = matchFields(got.entity, payload, statements[idx], at);
      if (d) return d;
      continue;
    }
    if (!Array.isArray(payload)) return `${at}: the expected query response is not an array`;
    if (payload.length !== got.entries.length) {
      return `${at}: expected ${payload.length} entries, got ${got.entries.length}: ${shorten(JSON.stringify(got.entries))}`;
    }
    for (const [i, entry] of payload.entries()) {
      const d = matchFields(got.entries[i], entry, statements[idx], `${at}[${i}]`);
      if (d) return d;
    }
  }
  return null;
}

/** Expected names only the fields it tests; nested objects likewise; other values must be equal. */
function matchFields(actual: unknown, expected: unknown, statement: string | undefined, path: string): string | null {
  if (!isObject(expected)) return `${path}: the expected response is not a JSON object`;
  if (!isObject(actual)) return `${path}: expected an object, got ${shorten(JSON.stringify(actual))}`;
  for (const [rawKey, rawValue] of Object.entries(expected)) {
    const bar = rawKey.indexOf('|');
    const key = bar < 0 ? rawKey : rawKey.slice(0, bar);
    const operator = bar < 0 ? 'EQUALS' : rawKey.slice(bar + 1).toUpperCase();
    const value =
      typeof rawValue === 'string' && statement !== undefined
        ? rawValue.replaceAll('{STATEMENT}', statement)
        : rawValue;
    const at = `${path}->${key}`;
    if (!(key in actual)) return `${at}: missing in ${shorten(JSON.stringify(actual))}`;
    const got = actual[key];
    if (isObject(value)) {
      const d = matchFields(got, value, statement, at);
      if (d) return d;
    } else if (operator === 'STARTS_WITH') {
      if (typeof got !== 'string' || typeof value !== 'string' || !got.startsWith(value)) {
        return `${at}: expected to start with ${JSON.stringify(value)}, got ${shorten(JSON.stringify(got))}`;
      }
    } else {
      const d = describeDifference(value, got);
      if (d) return `${at}: ${shorten(d)}`;
    }
  }
  return null;
}

/** null when the error answer is the expected one. */
export function compareError(expected: RqttExpectedError, actual: ActualError, lastStatement: string): string | null {
  const body = isObject(actual.body) ? actual.body : {};
  if (expected.status !== undefined && expected.status !== actual.status) {
    return `expected status ${expected.status}, got ${actual.status}: ${shorten(String(body.message))}`;
  }
  const message = typeof body.message === 'string' ? body.message : '';
  if (expected.message !== undefined && !message.includes(expected.message)) {
    return `expected message containing ${JSON.stringify(expected.message)}, got ${JSON.stringify(message)}`;
  }
  if (expected.type?.endsWith('KsqlStatementErrorMessage')) {
    const text = body.statementText;
    if (typeof text !== 'string') return 'expected a statement error (with statementText), got a generic error';
    if (!text.includes(lastStatement)) {
      return `expected the error's statementText to contain the last statement, got ${JSON.stringify(text)}`;
    }
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
