/**
 * Ephemeral ports for tests and benchmarks (no node:test here, so that
 * benchmarks can import it).
 */
import net from 'node:net';

const handedOut = new Set<number>();

/**
 * A port that was free a moment ago on 127.0.0.1 (the OS picks it), never
 * the same one twice in a process: the OS may offer a closed port again.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
