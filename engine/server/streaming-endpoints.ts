/**
 * The streaming endpoints (/query-stream, /query, /close-query,
 * /inserts-stream) with the Kafka clients they share: they run on the raw
 * request and response, in front of Fastify, because they write rows as
 * they come and read request lines as they arrive.
 */
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import type { Logger } from '../../logging/index.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import type { RawRequest, RawResponse } from './dual-protocol.ts';
import { closeQuery } from './routes/close-query.ts';
import { insertsStream } from './routes/inserts-stream.ts';
import { streamedQuery } from './routes/query.ts';
import { queryStream } from './routes/query-stream.ts';
import { sendError } from './routes/raw-http.ts';
import { TransientQueries } from './transient-queries.ts';

export interface StreamingEndpointsOptions {
  readonly engine: KsqlEngine;
  readonly bootstrapServers: readonly string[];
  readonly serviceId: string;
  readonly logger: Logger;
}

export class StreamingEndpoints {
  readonly queries: TransientQueries;

  private constructor(
    private readonly engine: KsqlEngine,
    private readonly admin: Admin,
    private readonly producer: Producer,
    kafka: Kafka,
    options: StreamingEndpointsOptions,
  ) {
    this.queries = new TransientQueries({
      engine,
      kafka,
      admin,
      serviceId: options.serviceId,
      logger: options.logger,
    });
  }

  static async start(options: StreamingEndpointsOptions): Promise<StreamingEndpoints> {
    const kafka = new Kafka({
      clientId: `ksql-${options.serviceId}-transient`,
      brokers: [...options.bootstrapServers],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await admin.connect();
    await producer.connect();
    return new StreamingEndpoints(options.engine, admin, producer, kafka, options);
  }

  /** Handles the request when it is one of the streaming endpoints; false leaves it to Fastify. */
  handle(request: RawRequest, response: RawResponse): boolean {
    if (request.method !== 'POST') return false;
    const path = (request.url ?? '').split('?')[0];
    let work: Promise<void>;
    switch (path) {
      case '/query-stream':
        work = queryStream(this.queries, request, response);
        break;
      case '/query':
        work = streamedQuery(this.queries, request, response);
        break;
      case '/close-query':
        work = closeQuery(this.queries, request, response);
        break;
      case '/inserts-stream':
        work = insertsStream({ engine: this.engine, producer: this.producer }, request, response);
        break;
      default:
        return false;
    }
    work.catch((error) => sendError(response, error));
    return true;
  }

  async stop(): Promise<void> {
    await this.queries.stop();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }
}
