/**
 * Helpers for the streaming endpoints, which take the raw request and
 * response (HTTP/1 or the HTTP/2 compatibility API) rather than Fastify's:
 * they write rows as they come and read request lines as they arrive.
 */

import type { RawRequest, RawResponse } from '../dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';

export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
export const JSON_TYPE = 'application/json';
export const KSQL_V1 = 'application/vnd.ksql.v1+json';

/** At most this much request body for the endpoints that read it whole. */
const MAX_BODY = 10 * 1024 * 1024;

export function accepts(request: RawRequest, type: string): boolean {
  return String(request.headers.accept ?? '').includes(type);
}

/** Reads a JSON object body; a body that is not one is a 400 naming what is wrong. */
export async function readJsonBody(request: RawRequest): Promise<Record<string, unknown>> {
  // Events rather than async iteration: a pull query's small body costs less this way.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const read: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new KsqlRequestError(ERROR_CODES.badRequest, `The request body is larger than ${MAX_BODY} bytes.`));
        return;
      }
      read.push(chunk);
    });
    request.once('end', () => resolve(read));
    request.once('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, `Invalid JSON in request: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new KsqlRequestError(ERROR_CODES.badRequest, 'Invalid JSON in request: expected an object.');
  }
  return body as Record<string, unknown>;
}

export function sendJson(response: RawResponse, status: number, body: unknown, type = JSON_TYPE): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers an error as ksqlDB does: its KsqlErrorMessage with the code's HTTP status. */
export function sendError(response: RawResponse, error: unknown, type = JSON_TYPE): void {
  const failure =
    error instanceof KsqlRequestError
      ? error
      : new KsqlRequestError(ERROR_CODES.badStatement, error instanceof Error ? error.message : String(error));
  if (response.headersSent) {
    response.end();
    return;
  }
  sendJson(response, failure.httpStatus, failure.toJSON(), type);
}

/** Writes one chunk; false once the client has gone away. */
export function write(response: RawResponse, text: string): boolean {
  if (response.destroyed || response.writableEnded) return false;
  (response as { write(chunk: string): boolean }).write(text);
  return true;
}
