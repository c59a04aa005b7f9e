/**
 * A small client for ksqlDB's REST API, for Tally's stand-in and a real
 * ksqlDB server alike: `POST /ksql` (statements in, entities out),
 * `POST /query-stream` (pull queries to their end, push queries row by row),
 * `POST /close-query`, `POST /inserts-stream` and `GET /info`. Node's fetch (undici) over HTTP/1.1.
 */

export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';
export const KSQLAPI_DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

/** One entity of a `/ksql` answer, named by `@type` (currentStatus, streams, sourceDescription, ...). */
export type KsqlEntity = {
  readonly '@type': string;
  readonly statementText: string;
  readonly warnings?: readonly { message: string }[];
  // biome-ignore lint/suspicious/noExplicitAny: entities are read by type, field by field.
} & Record<string, any>;

export interface ServerInfo {
  readonly version: string;
  readonly kafkaClusterId: string;
  readonly ksqlServiceId: string;
  readonly serverStatus?: string;
}

/** The header line of `/query-stream`. */
export interface QueryHeader {
  readonly queryId?: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export interface QueryResult extends QueryHeader {
  readonly rows: readonly (readonly unknown[])[];
}

export interface KsqlClientOptions {
  /** e.g. http://127.0.0.1:8088 */
  readonly url: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Sent with every request (ksql-migrations' `--headers` file). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StatementOptions {
  readonly streamsProperties?: Readonly<Record<string, unknown>>;
  readonly sessionVariables?: Readonly<Record<string, unknown>>;
}

/**
 * An error answered by the server in ksqlDB's KsqlErrorMessage shape
 * (`statement_error` with the entities executed before, or `generic_error`),
 * or a transport failure (errorCode 0).
 */
export class KsqlClientError extends Error {
  constructor(
    message: string,
    readonly errorCode: number,
    readonly httpStatus: number,
    readonly statementText: string | null = null,
    readonly entities: readonly KsqlEntity[] = [],
  ) {
    super(message);
    this.name = 'KsqlClientError';
  }
}

/** One `/inserts-stream` acknowledgement: `ok`, or `error` with ksqlDB's code and message. */
export interface InsertAck {
  readonly status: 'ok' | 'error';
  readonly seq: number;
  readonly error_code?: number;
  readonly message?: string;
}

/** Rows the server rejected: the first rejection's message, and every ack (the other rows were written). */
export class KsqlInsertError extends KsqlClientError {
  constructor(
    message: string,
    errorCode: number,
    readonly acks: readonly InsertAck[],
  ) {
    super(message, errorCode, 200);
    this.name = 'KsqlInsertError';
  }
}

/** A push query in flight: its header, its rows as they come, and a way to close it. */
export interface PushQuery {
  readonly header: QueryHeader;
  readonly rows: AsyncIterable<readonly unknown[]>;
  /** Asks the server to close the query (`/close-query`) and stops reading. */
  close(): Promise<void>;
}

export class KsqlClient {
  readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(options: KsqlClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new KsqlClientError(`Invalid ksql server URL: ${options.url}`, 0, 0);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new KsqlClientError(`Invalid ksql server URL: ${options.url} (http:// or https:// expected)`, 0, 0);
    }
    this.url = options.url.replace(/\/+$/, '');
    this.headers = { ...options.headers };
    if (options.basicAuth && (options.basicAuth.username || options.basicAuth.password)) {
      const token = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64');
      this.headers.authorization = `Basic ${token}`;
    }
  }

  /** `GET /info`. */
  async info(): Promise<ServerInfo> {
    const response = await this.request('GET', '/info', undefined, KSQL_V1_JSON);
    const body = (await readJson(response)) as { KsqlServerInfo?: ServerInfo };
    if (!body.KsqlServerInfo) throw new KsqlClientError(`Unexpected answer from ${this.url}/info`, 0, response.status);
    return body.KsqlServerInfo;
  }

  /** `POST /ksql`: one entity per statement; a failing statement throws with the entities before it. */
  async execute(ksql: string, options: StatementOptions = {}): Promise<KsqlEntity[]> {
    const response = await this.request(
      'POST',
      '/ksql',
      { ksql, streamsProperties: options.streamsProperties ?? {}, sessionVariables: options.sessionVariables ?? {} },
      KSQL_V1_JSON,
    );
    return (await readJson(response)) as KsqlEntity[];
  }

  /** A pull query (or a push query with a LIMIT) read to its end. */
  async query(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    const push = await this.streamQuery(sql, options);
    const rows: (readonly unknown[])[] = [];
    for await (const row of push.rows) rows.push(row);
    return { ...push.header, rows };
  }

  /** `POST /query-stream` in the delimited format: the header line, then one JSON array a line. */
  async streamQuery(sql: string, options: StatementOptions = {}): Promise<PushQuery> {
    const abort = new AbortController();
    const response = await this.request(
      'POST',
      '/query-stream',
      { sql, properties: options.streamsProperties ?? {}, sessionVariables: options.sessionVariables ?? {} },
      KSQLAPI_DELIMITED,
      abort.signal,
    );
    if (!response.body) throw new KsqlClientError('The query answered no body', 0, response.status);
    const lines = readLines(response.body, abort.signal);
    const first = await lines.next();
    if (first.done) throw new KsqlClientError('The query ended before its header', 0, response.status);
    const header = parseLine(first.value) as QueryHeader;
    throwIfError(header, response.status);
    if (!Array.isArray(header.columnNames)) {
      throw new KsqlClientError(`Unexpected query header: ${first.value}`, 0, response.status);
    }
    let closed = false;
    let finished = false;
    const rows = (async function* () {
      try {
        for (;;) {
          const next = await lines.next();
          if (next.done) {
            finished = true;
            return;
          }
          const value = parseLine(next.value);
          if (Array.isArray(value)) yield value;
          else throwIfError(value, response.status);
        }
      } catch (error) {
        if (closed && isAbort(error)) return;
        throw error;
      }
    })();
    const close = async () => {
      if (closed) return;
      closed = true;
      try {
        // A query that ended by itself (a pull query, a LIMIT) has nothing to close on the server.
        if (header.queryId && !finished) await this.closeQuery(header.queryId);
      } finally {
        abort.abort();
      }
    };
    return { header, rows, close };
  }

  /**
   * `POST /inserts-stream`: the rows written to the stream `target` in
   * order, one ack each. Resolves with the acks when every row was written;
   * throws `KsqlInsertError` (with all the acks) when the server rejected a
   * row, and `KsqlClientError` when it refused the target.
   */
  async insertsStream(target: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<InsertAck[]> {
    const body = [{ target }, ...rows].map((line) => JSON.stringify(line)).join('\n');
    const response = await this.request('POST', '/inserts-stream', `${body}\n`, KSQLAPI_DELIMITED);
    const text = await response.text();
    const acks: InsertAck[] = [];
    // One ack a line; a JSON array when the server answers application/json.
    const trimmed = text.trim();
    const items: unknown[] = trimmed.startsWith('[')
      ? (JSON.parse(trimmed) as unknown[])
      : trimmed
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map(parseLine);
    for (const item of items) {
      const ack = item as Partial<InsertAck>;
      if (ack.status !== 'ok' && ack.status !== 'error') throwIfError(item, response.status);
      if (typeof ack.seq !== 'number')
        throw new KsqlClientError(`Unexpected insert ack: ${JSON.stringify(item)}`, 0, 200);
      acks.push(ack as InsertAck);
    }
    const rejected = acks.find((a) => a.status === 'error');
    if (rejected !== undefined) {
      throw new KsqlInsertError(
        `Row ${rejected.seq} was rejected: ${rejected.message ?? 'unknown error'}`,
        rejected.error_code ?? 40000,
        acks,
      );
    }
    if (acks.length !== rows.length) {
      throw new KsqlClientError(`The server acknowledged ${acks.length} of ${rows.length} rows`, 0, response.status);
    }
    return acks;
  }

  /** `POST /close-query`. */
  async closeQuery(queryId: string): Promise<void> {
    const response = await this.request('POST', '/close-query', { queryId }, 'application/json');
    await response.arrayBuffer();
  }

  private async request(
    method: string,
    path: string,
    body: unknown,
    accept: string,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...this.headers,
          accept,
          ...(body !== undefined && { 'content-type': path === '/ksql' ? KSQL_V1_JSON : 'application/json' }),
        },
        // A string is sent as it is (the inserts' lines); anything else as JSON.
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        ...(signal && { signal }),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new KsqlClientError(`Failed to connect to ${this.url}${path}: ${cause}`, 0, 0);
    }
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new KsqlClientError(
          text || `HTTP ${response.status} from ${path}`,
          response.status * 100,
          response.status,
        );
      }
      throwIfError(parsed, response.status);
      throw new KsqlClientError(text, response.status * 100, response.status);
    }
    return response;
  }
}

function throwIfError(value: unknown, httpStatus: number): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const v = value as Record<string, unknown>;
  if (typeof v.error_code === 'number' || v['@type'] === 'generic_error' || v['@type'] === 'statement_error') {
    throw new KsqlClientError(
      String(v.message ?? 'unknown error'),
      Number(v.error_code ?? httpStatus * 100),
      httpStatus,
      typeof v.statementText === 'string' ? v.statementText : null,
      Array.isArray(v.entities) ? (v.entities as KsqlEntity[]) : [],
    );
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new KsqlClientError(`Unexpected answer (not JSON): ${text.slice(0, 200)}`, 0, response.status);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new KsqlClientError(`Unexpected line in query answer: ${line.slice(0, 200)}`, 0, 200);
  }
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string }).name === 'AbortError';
}

/** Non-empty lines of a streamed body; a JSON array answer (application/json) is accepted too. */
async function* readLines(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = body.getReader();
  signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield line;
        newline = buffered.indexOf('\n');
      }
    }
    const last = buffered.trim();
    if (!last) return;
    // A whole JSON array (the application/json form): header object, then rows.
    if (last.startsWith('[') && last.includes('columnNames')) {
      for (const item of JSON.parse(last) as unknown[]) yield JSON.stringify(item);
    } else {
      yield last;
    }
  } finally {
    reader.releaseLock();
  }
}
