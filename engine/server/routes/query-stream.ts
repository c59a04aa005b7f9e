/**
 * `POST /query-stream` (ksqlDB's QueryStreamEndpoint): `{"sql", "properties",
 * "sessionVariables"}` in; out, by the Accept header, either
 * `application/vnd.ksqlapi.delimited.v1` (the default: a header line
 * `{"queryId","columnNames","columnTypes"}`, then one JSON array a line) or
 * `application/json` (one JSON array: the header, then the rows). Pull
 * queries end after their rows; push queries stay open until LIMIT,
 * /close-query, or the client goes away.
 */
import type { RawRequest, RawResponse } from '../dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';
import type { RunningPushQuery, TransientQueries } from '../transient-queries.ts';
import { accepts, DELIMITED, JSON_TYPE, readJsonBody, sendError, write } from './raw-http.ts';

export async function queryStream(
  queries: TransientQueries,
  request: RawRequest,
  response: RawResponse,
): Promise<void> {
  const json = accepts(request, JSON_TYPE) && !accepts(request, DELIMITED);
  const type = json ? JSON_TYPE : DELIMITED;
  let prepared: ReturnType<TransientQueries['prepare']>;
  let properties: Record<string, unknown>;
  try {
    const body = await readJsonBody(request);
    if (typeof body.sql !== 'string') {
      throw new KsqlRequestError(ERROR_CODES.badRequest, 'Invalid JSON in request: "sql" must be a string.');
    }
    properties = objectField(body, 'properties');
    prepared = queries.prepare(body.sql, objectField(body, 'sessionVariables'), properties);
  } catch (error) {
    sendError(response, asStatementError(error), JSON_TYPE);
    return;
  }
  const { query } = prepared;
  const header = (queryId: string) => ({
    queryId,
    columnNames: query.columnNames,
    columnTypes: query.columnTypes,
  });

  if (query.pull) {
    let rows: unknown[][];
    try {
      rows = await queries.pull(query);
    } catch (error) {
      sendError(response, asStatementError(error), JSON_TYPE);
      return;
    }
    const head = header(queries.newQueryId(query));
    const text = json
      ? JSON.stringify([head, ...rows])
      : `${JSON.stringify(head)}\n${rows.map((r) => `${JSON.stringify(r)}\n`).join('')}`;
    response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }

  // Push: the header goes out once the query is positioned; each row is its own chunk.
  let push: RunningPushQuery | undefined;
  let ended = false;
  let headerSent = false;
  let endPending = false;
  const pending: string[] = [];
  const end = () => {
    if (!headerSent) {
      endPending = true;
      return;
    }
    if (ended) return;
    ended = true;
    if (json) write(response, ']');
    response.end();
  };
  const emit = (values: unknown[]) => {
    const text = json ? `,${JSON.stringify(values)}` : `${JSON.stringify(values)}\n`;
    if (!headerSent) pending.push(text);
    else if (!write(response, text)) push?.close(undefined, true);
  };
  try {
    push = await queries.push(query, properties, {
      row: emit,
      // The streaming API sends a deleted table row as its key with null values.
      tombstone: emit,
      limitReached: end,
      closed: end,
    });
  } catch (error) {
    sendError(response, asStatementError(error), JSON_TYPE);
    return;
  }
  const running = push;
  response.once('close', () => running.close(undefined, true));
  response.writeHead(200, { 'content-type': type });
  write(response, json ? `[${JSON.stringify(header(running.id))}` : `${JSON.stringify(header(running.id))}\n`);
  headerSent = true;
  for (const text of pending.splice(0)) write(response, text);
  if (query.limit === 0) running.close(undefined, true);
  if (endPending || query.limit === 0) end();
}

function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, `Invalid JSON in request: "${name}" must be an object.`);
  }
  return value as Record<string, unknown>;
}

/** Errors in the statement are 40001 (bad statement); request errors keep their own code. */
export function asStatementError(error: unknown): KsqlRequestError {
  if (error instanceof KsqlRequestError) return error;
  return new KsqlRequestError(ERROR_CODES.badStatement, error instanceof Error ? error.message : String(error));
}
