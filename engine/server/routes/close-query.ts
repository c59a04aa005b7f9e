/** `POST /close-query` `{"queryId"}`: ends a running push query; its response ends as at a LIMIT. */
import type { RawRequest, RawResponse } from '../dual-protocol.ts';
import { ERROR_CODES, KsqlRequestError } from '../entities.ts';
import type { TransientQueries } from '../transient-queries.ts';
import { JSON_TYPE, readJsonBody, sendError } from './raw-http.ts';

export async function closeQuery(queries: TransientQueries, request: RawRequest, response: RawResponse): Promise<void> {
  try {
    const body = await readJsonBody(request);
    if (typeof body.queryId !== 'string') {
      throw new KsqlRequestError(ERROR_CODES.badRequest, 'Invalid JSON in request: "queryId" must be a string.');
    }
    if (!queries.close(body.queryId)) {
      throw new KsqlRequestError(ERROR_CODES.badRequest, `No query with id ${body.queryId}`);
    }
    response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': 0 });
    response.end();
  } catch (error) {
    sendError(response, error, JSON_TYPE);
  }
}
