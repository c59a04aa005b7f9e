/**
 * Fails fast, and plainly, when no bootstrap broker answers. Both clients
 * would otherwise retry for a long while and end with a stack trace; a TCP
 * connect to each address tells in a second or two what a user needs to know.
 */
import net from 'node:net';
import { UserError } from '../../config/errors.ts';

const PROBE_TIMEOUT_MS = 3_000;

/** Resolves when at least one of `brokers` accepts a TCP connection; otherwise throws a UserError naming them. */
export async function assertBrokersReachable(brokers: readonly string[], timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const failures = await Promise.all(brokers.map((address) => probe(address, timeoutMs)));
  if (failures.some((failure) => failure === null)) return;
  const reasons = brokers.map((address, i) => `${address} (${failures[i]})`).join(', ');
  throw new UserError(`Cannot reach Kafka at ${reasons}.\n${WHAT_TO_DO}`);
}

/** The advice every "cannot reach Kafka" message ends with. */
export const WHAT_TO_DO =
  'Start the stack with `make up` (or `tally up`, or `tally broker` for Kafka alone), ' +
  'or point KAFKA_BROKERS (or --brokers) at a running broker.';

/** null when `address` accepts a connection, else why not. */
function probe(address: string, timeoutMs: number): Promise<string | null> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    return Promise.resolve('not a host:port address');
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000}s`));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}
