/**
 * A TCP proxy for fault tests: forwards every connection to a target and can
 * cut all live connections at once, as a network failure or a broker restart
 * would look to clients.
 */
import net from 'node:net';
import { after } from 'node:test';

export interface TcpProxy {
  readonly port: number;
  /** Destroys every open connection (both sides); new connections still go through. */
  cut(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number, port = 0): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    open.add(client);
    const drop = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  let closed = false;
  const proxy: TcpProxy = {
    port: address.port,
    cut() {
      const n = open.size;
      for (const socket of [...open]) socket.destroy();
      return n;
    },
    async close() {
      if (closed) return;
      closed = true;
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  after(() => proxy.close());
  return proxy;
}
