/**
 * One client connection. Like Kafka's socket server, it handles one request
 * at a time, in the order received, and writes each response before reading
 * the next request: this keeps per-partition order for pipelined producers
 * and per-connection response order for every client.
 *
 * A frame that cannot be read (bad size, malformed, unknown API) closes this
 * connection only; the broker keeps serving everyone else.
 */
import type net from 'node:net';
import type { Logger } from '../../logging/index.ts';
import {
  API_KEYS,
  type DecodedRequest,
  decodeRequest,
  encodeResponseChunks,
  encodeUnsupportedApiVersionsResponse,
  ProtocolError,
  UnsupportedVersionError,
} from '../protocol/index.ts';
import { FrameReader, FrameSizeError } from './frame-reader.ts';

/** Thrown by a handler for a request the broker refuses to serve on this connection: it is closed, with a warning. */
export class RejectedRequestError extends Error {
  override name = 'RejectedRequestError';
}

/** Returned by a handler for a request that gets no response (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

export interface ConnectionInfo {
  id: number;
  remote: string;
  /** The SASL principal once authenticated; undefined while not (or when SASL is off). */
  principal?: string;
  /** Set by the SASL handlers once the client has authenticated. */
  authenticated: boolean;
}

export type RequestHandler = (request: DecodedRequest, connection: ConnectionInfo) => Promise<unknown>;

export interface ConnectionOptions {
  maxFrameBytes: number;
  /** Frames buffered beyond this many pause reading from the socket. */
  maxQueuedFrames: number;
  logger: Logger;
}

export class Connection {
  readonly info: ConnectionInfo;
  private readonly reader: FrameReader;
  private readonly queue: Buffer[] = [];
  private busy = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    id: number,
    private readonly handle: RequestHandler,
    private readonly options: ConnectionOptions,
  ) {
    this.info = { id, remote: `${socket.remoteAddress}:${socket.remotePort}`, authenticated: false };
    this.reader = new FrameReader(options.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) =>
      this.options.logger.debug({ connection: this.info.remote, err: error }, 'socket error'),
    );
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Closes the connection, e.g. on broker shutdown; resolves once the request in progress has finished. */
  close(): Promise<void> {
    this.closed = true;
    this.socket.destroy();
    return this.drained;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.queue.push(...this.reader.push(chunk));
    } catch (error) {
      if (!(error instanceof FrameSizeError)) throw error;
      this.reject(error.message);
      return;
    }
    if (this.queue.length >= this.options.maxQueuedFrames) this.socket.pause();
    if (!this.busy) this.drained = this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      for (let frame = this.queue.shift(); frame && !this.closed; frame = this.queue.shift()) {
        if (this.queue.length < this.options.maxQueuedFrames && this.socket.isPaused()) this.socket.resume();
        await this.process(frame);
      }
    } finally {
      this.busy = false;
    }
  }

  private async process(frame: Buffer): Promise<void> {
    let request: DecodedRequest;
    try {
      request = decodeRequest(frame);
    } catch (error) {
      // An ApiVersions version we do not know still gets an answer: the client
      // learns our range from it and retries with a version we serve.
      if (error instanceof UnsupportedVersionError && error.header.apiKey === API_KEYS.ApiVersions) {
        this.write(encodeUnsupportedApiVersionsResponse(error.header));
        return;
      }
      if (error instanceof ProtocolError) return this.reject(error.message);
      throw error;
    }
    let response: unknown;
    try {
      response = await this.handle(request, this.info);
    } catch (error) {
      if (error instanceof RejectedRequestError) {
        this.reject(`${request.apiName}: ${error.message}`);
        return;
      }
      this.options.logger.error(
        { connection: this.info.remote, api: request.apiName, version: request.header.apiVersion, err: error },
        'request failed; closing the connection',
      );
      this.closed = true;
      this.socket.destroy();
      return;
    }
    if (response !== NO_RESPONSE && !this.closed) this.write(...encodeResponseChunks(request.header, response));
  }

  private write(...chunks: Buffer[]): void {
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
      return;
    }
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }

  private reject(reason: string): void {
    this.options.logger.warn({ connection: this.info.remote, reason }, 'bad request; closing the connection');
    this.closed = true;
    this.socket.destroy();
  }
}
