/**
 * HTTP/1.1 and HTTP/2 cleartext ("prior knowledge", what ksqlDB's Java
 * client speaks) on one port: the HTTP/1 server's connections are sniffed
 * for the HTTP/2 connection preface; a connection that starts with it goes
 * to an http2 server, any other stays with the HTTP/1 server. Both servers
 * call the same request handler (the http2 one with its compatibility
 * request and response, which have the same shape).
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';

export type RawRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type RawResponse = http.ServerResponse | http2.Http2ServerResponse;
export type RawHandler = (request: RawRequest, response: RawResponse) => void;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface DualProtocolServer {
  /** The listening server (HTTP/1); its connections are shared out. */
  readonly server: http.Server;
  /** Closes every HTTP/2 session, so the listening server can close. */
  closeSessions(): void;
}

export function dualProtocolServer(handler: RawHandler): DualProtocolServer {
  const h1 = http.createServer(handler as http.RequestListener);
  const h2 = http2.createServer({}, handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const h1Listeners = h1.listeners('connection') as ((socket: Socket) => void)[];
  h1.removeAllListeners('connection');
  h1.on('connection', (socket: Socket) => {
    sniff(socket, (isHttp2) => {
      if (isHttp2) h2.emit('connection', socket);
      else {
        for (const listener of h1Listeners) listener.call(h1, socket);
        // The HTTP/1 parser reads the bytes put back through 'data' events: let them flow.
        socket.resume();
      }
    });
  });
  return {
    server: h1,
    closeSessions() {
      for (const session of sessions) session.close();
      // A session whose streams do not end in time goes anyway.
      setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, 1_000).unref();
    },
  };
}

/** Reads until the first bytes are or cannot be the preface, puts them back, and decides. */
function sniff(socket: Socket, decide: (isHttp2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onError = () => socket.destroy();
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    const prefix = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (prefix && seen.length < PREFACE.length) return;
    socket.off('data', onData);
    socket.off('error', onError);
    socket.pause();
    socket.unshift(seen);
    decide(prefix);
  };
  socket.on('data', onData);
  socket.on('error', onError);
}
