/**
 * A load generator for bench/ksql-queries.ts, in its own process so that
 * the client's work does not share the server's event loop: sends pull
 * queries by key to /query-stream over HTTP/2 and prints one JSON line,
 * `{"latencies": [ms...], "totalMs"}`.
 *
 *   node --import tsx bench/support/pull-load.ts <url> <table> <keys> <queries> <in flight> <sessions>
 */
import http2 from 'node:http2';

const [url, table, keysText, queriesText, inFlightText, sessionsText] = process.argv.slice(2);
const KEYS = Number(keysText);
const QUERIES = Number(queriesText);
const IN_FLIGHT = Number(inFlightText);
const SESSIONS = Number(sessionsText ?? 1);

const sessions = Array.from({ length: SESSIONS }, () => http2.connect(url as string));
const request = (session: http2.ClientHttp2Session, sql: string) =>
  new Promise<string>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': '/query-stream', 'content-type': 'application/json' });
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
    stream.end(JSON.stringify({ sql, properties: {} }));
  });

const latencies: number[] = [];
let next = 0;
let missing = 0;
const worker = async (w: number) => {
  const session = sessions[w % SESSIONS] as http2.ClientHttp2Session;
  while (next++ < QUERIES) {
    const key = `key-${Math.floor(Math.random() * KEYS)}`;
    const t = performance.now();
    const text = await request(session, `SELECT * FROM ${table} WHERE id = '${key}';`);
    latencies.push(performance.now() - t);
    if (!text.includes(key)) missing++;
  }
};
const start = performance.now();
await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
const totalMs = performance.now() - start;
for (const s of sessions) s.close();
console.log(JSON.stringify({ latencies, totalMs, missing }));
