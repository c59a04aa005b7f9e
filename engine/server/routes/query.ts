/**
 * `POST /query` (ksqlDB's older StreamedQueryResource): `{"ksql",
 * "streamsProperties"}` in; out, one JSON array streamed as it grows:
 * `{"header":{"queryId","schema"}}`, then `{"row":{"columns":[...]}}` per
 * row (`"tombstone":true` for a deleted table row), and
 * `{"finalMessage":"Limit Reached"}` when a push query reaches its LIMIT.
 */
import type { RawRequest, RawResponse } from '../dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';
import type { RunningPushQuery, TransientQueries } from '../transient-queries.ts';
import type { TransientQuery } from '../transient-query.ts';
import { asStatementError } from './query-stream.ts';
import { accepts, JSON_TYPE, KSQL_V1, readJsonBody, sendError, write } from './raw-http.ts';

export async function streamedQuery(
  queries: TransientQueries,
  request: RawRequest,
  response: RawResponse,
): Promise<void> {
  const type = accepts(request, JSON_TYPE) && !accepts(request, KSQL_V1) ? JSON_TYPE : KSQL_V1;
  let prepared: ReturnType<TransientQueries['prepare']>;
  let properties: Record<string, unknown>;
  try {
    const body = await readJsonBody(request);
    if (typeof body.ksql !== 'string') {
      throw new KsqlRequestError(ERROR_CODES.badRequest, 'Invalid JSON in request: "ksql" must be a string.');
    }
    const props = body.streamsProperties;
    properties = props !== null && typeof props === 'object' ? (props as Record<string, unknown>) : {};
    const variables = body.sessionVariables;
    prepared = queries.prepare(
      body.ksql,
      variables !== null && typeof variables === 'object' ? (variables as Record<string, unknown>) : {},
      properties,
    );
  } catch (error) {
    sendError(response, asStatementError(error), type);
    return;
  }
  const { query, statementText } = prepared;
  const header = (queryId: string) => `[{"header":${JSON.stringify({ queryId, schema: schemaText(query) })}}`;
  const row = (values: unknown[], tombstone = false) =>
    `,\n${JSON.stringify({ row: tombstone ? { columns: values, tombstone: true } : { columns: values } })}`;

  if (query.pull) {
    let rows: unknown[][];
    try {
      rows = await queries.pull(query);
    } catch (error) {
      sendError(response, statementError(error, statementText), type);
      return;
    }
    const text = `${header(queries.newQueryId(query))}${rows.map((r) => row(r)).join('')}]`;
    response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }

  let push: RunningPushQuery | undefined;
  let headerSent = false;
  let ended = false;
  let finalMessage: string | null = null;
  let endPending = false;
  const pending: string[] = [];
  const emit = (text: string) => {
    if (!headerSent) pending.push(text);
    else if (!write(response, text)) push?.close(undefined, true);
  };
  const end = (message: string | null) => {
    if (!headerSent) {
      endPending = true;
      finalMessage = message;
      return;
    }
    if (ended) return;
    ended = true;
    write(response, message === null ? ']' : `,\n${JSON.stringify({ finalMessage: message })}]`);
    response.end();
  };
  try {
    push = await queries.push(query, properties, {
      row: (values) => emit(row(values)),
      tombstone: (values) => emit(row(values, true)),
      limitReached: () => end('Limit Reached'),
      closed: (error) => end(error ?? null),
    });
  } catch (error) {
    sendError(response, statementError(error, statementText), type);
    return;
  }
  const running = push;
  response.once('close', () => running.close(undefined, true));
  response.writeHead(200, { 'content-type': type });
  write(response, header(running.id));
  headerSent = true;
  for (const text of pending.splice(0)) write(response, text);
  if (query.limit === 0) {
    running.close(undefined, true);
    end('Limit Reached');
  } else if (endPending) end(finalMessage);
}

/** ksqlDB's schema text: `` `ID` STRING KEY, `N` BIGINT ``. */
/** ksqlDB marks key columns (and a windowed table's bounds) KEY in pull queries' headers only. */
function schemaText(query: TransientQuery): string {
  const keys = new Set<string>();
  if (query.pull) {
    for (const c of query.source.schema.key) keys.add(c.name);
    if (query.source.window !== null) keys.add('WINDOWSTART').add('WINDOWEND');
  }
  return query.columnNames
    .map((name, i) => `\`${name}\` ${query.columnTypes[i]}${keys.has(name) ? ' KEY' : ''}`)
    .join(', ');
}

function statementError(error: unknown, statementText: string): KsqlRequestError {
  const e = asStatementError(error);
  return e.statementText !== null ? e : new KsqlRequestError(e.errorCode, e.message, statementText);
}
