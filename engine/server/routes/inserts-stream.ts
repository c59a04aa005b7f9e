/**
 * `POST /inserts-stream` (ksqlDB's InsertsStreamEndpoint): a first line
 * `{"target": "<stream>"}`, then one JSON object a line, read as they
 * arrive. Each row is written to the stream's topic and acknowledged in
 * order, `{"status":"ok","seq":n}`; a row that fails gets
 * `{"status":"error","seq":n,"error_code","message"}` and the stream goes
 * on. Acks are one a line (`application/vnd.ksqlapi.delimited.v1`, the
 * default) or one JSON array (`application/json`).
 */
import type { Producer } from 'kafkajs';
import type { KsqlEngine } from '../../execution/engine.ts';
import type { DataSource } from '../../metastore/metastore.ts';
import type { RawRequest, RawResponse } from '../dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';
import { type RowEncoder, rowEncoder } from '../row-encoder.ts';
import { accepts, DELIMITED, JSON_TYPE, sendError, write } from './raw-http.ts';

export interface InsertsContext {
  readonly engine: KsqlEngine;
  readonly producer: Producer;
}

export async function insertsStream(
  context: InsertsContext,
  request: RawRequest,
  response: RawResponse,
): Promise<void> {
  const json = accepts(request, JSON_TYPE) && !accepts(request, DELIMITED);
  const type = json ? JSON_TYPE : DELIMITED;
  let encoder: RowEncoder | null = null;
  let target: DataSource | null = null;
  let seq = 0;
  let acks = 0;
  let failed = false;
  let chain: Promise<void> = Promise.resolve();

  const ack = (body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    write(response, json ? `${acks === 0 ? '[' : ','}${text}` : `${text}\n`);
    acks++;
  };

  const line = (text: string) => {
    if (failed || text.trim() === '') return;
    if (encoder === null) {
      try {
        target = targetOf(context.engine, text);
        encoder = rowEncoder(target);
      } catch (error) {
        failed = true;
        sendError(response, error, JSON_TYPE);
        return;
      }
      response.writeHead(200, { 'content-type': type });
      return;
    }
    const n = seq++;
    const stream = target as DataSource;
    const encode = encoder;
    // In order: each row is written and acknowledged before the next.
    chain = chain.then(async () => {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new Error('Invalid JSON in inserts stream: each row must be a JSON object.');
        }
        const record = encode(parsed as Record<string, unknown>);
        await context.producer.send({
          topic: stream.topic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, timestamp: String(record.timestamp) }],
        });
        ack({ status: 'ok', seq: n });
      } catch (error) {
        ack({
          status: 'error',
          seq: n,
          error_code: ERROR_CODES.badRequest,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  };

  let buffered = '';
  request.setEncoding('utf8');
  for await (const chunk of request as AsyncIterable<string>) {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      line(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  line(buffered);
  if (failed) return;
  if (encoder === null) {
    sendError(
      response,
      new KsqlRequestError(
        ERROR_CODES.badRequest,
        'Invalid JSON in request: the first line must be {"target": "<stream>"}.',
      ),
      JSON_TYPE,
    );
    return;
  }
  await chain;
  if (json) write(response, acks === 0 ? '[]' : ']');
  response.end();
}

function targetOf(engine: KsqlEngine, text: string): DataSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, `Invalid JSON in request: ${(error as Error).message}`);
  }
  const name = (parsed as { target?: unknown } | null)?.target;
  if (typeof name !== 'string' || name === '') {
    throw new KsqlRequestError(ERROR_CODES.badRequest, 'Invalid JSON in request: "target" must be a stream name.');
  }
  // Unquoted names are case-insensitive, as in ksqlDB.
  const source = engine.metastore.source(name) ?? engine.metastore.source(name.toUpperCase());
  if (source === undefined) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, `Cannot insert values into an unknown stream: ${name}`);
  }
  if (source.type !== 'STREAM') throw new KsqlRequestError(ERROR_CODES.badRequest, 'Cannot insert into a table');
  if (source.readOnly) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, `Cannot insert into read-only stream: ${source.name}`);
  }
  return source;
}
