/**
 * The dashboard's latency, beside baselines measured in the same run. Prints
 * figures; asserts nothing.
 *
 *   node --import tsx bench/dashboard.ts [clients=1000] [commits=200]
 *
 * - commit to screen: with `clients` SSE connections open (raw HTTP), the time
 *   from an UPDATE of a sink table (autocommit) until the re-rendered panel
 *   has reached every client, p50 / p99 over `commits` commits spaced beyond
 *   the hub's coalescing interval; beside it, PostgreSQL's own floor: the
 *   time from the same UPDATE to its NOTIFY at a LISTENing connection.
 * - first page: the server time of GET / (every election panel rendered from
 *   a small election's tables), p50 / p99, beside GET /healthz (one SELECT 1)
 *   and the panels' queries run directly with `pg`.
 *
 * The dashboard runs in its own process (`tally dashboard`), so that clients
 * never share its event loop; PostgreSQL is a throwaway cluster (or DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig, PROJECT_ROOT } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { createElection } from '../producers/index.ts';
import { postgresService } from '../stack/postgres.ts';
import { Supervisor } from '../stack/supervisor.ts';
import { ElectionQueries } from '../web/panels/election/queries.ts';
import { seedElection } from '../web/panels/election/seed.ts';

const CLIENTS = Number(process.argv[2] ?? 1000);
const COMMITS = Number(process.argv[3] ?? 200);
const PAGE_LOADS = 200;
const logger = createLogger('bench', { level: 'error' });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function line(name: string, values: number[], note = ''): void {
  const f = (v: number) => v.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(52)} p50 ${f(percentile(values, 0.5))} ms  p99 ${f(percentile(values, 0.99))} ms${note ? `  ${note}` : ''}`,
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-dashboard-'));
fs.chmodSync(dir, 0o755);
let supervisor: Supervisor | undefined;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const config = loadConfig({ env: { TALLY_DATA_DIR: dir, TALLY_POSTGRES_PORT: String(await freePort()) } });
  supervisor = new Supervisor({ logDir: config.logDir, host: config.host, logger });
  await supervisor.start([postgresService(config.postgres, config.host)]);
  databaseUrl = config.postgres.url;
}

// A small national election: 12 regions, 150 constituencies, about 1,500 polling stations.
const schema = `bench_${process.pid}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const election = createElection({
  scenario: 'national',
  seed: 3,
  overrides: { voters: 60_000 },
});
await seedElection(databaseUrl, schema, election);

const port = await freePort();
const dashboard = spawn(path.join(PROJECT_ROOT, 'bin', 'tally'), ['dashboard', '--schema', schema], {
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TALLY_DASHBOARD_PORT: String(port),
    TALLY_DATA_DIR: dir,
    TALLY_LOG_LEVEL: 'error',
    // No broker in this run: the lag probe fails fast and says unknown.
    KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
  },
  stdio: 'ignore',
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  if (i > 300 || dashboard.exitCode !== null) throw new Error(`the dashboard did not start (logs in ${dir})`);
  await sleep(100);
}

async function timeGet(route: string, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${route}`);
    await response.text();
    out.push(performance.now() - started);
  }
  return out;
}

async function timeQueries(times: number): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const tables = new Set(
    (await pool.query('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])).rows.map(
      (r) => r.tablename as string,
    ),
  );
  const q = new ElectionQueries(pool, schema, tables);
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await Promise.all([
      q.totals(),
      q.leader(),
      q.votesByCandidate(12),
      q.votesByParty(),
      q.seats(),
      q.turnoutByRegion(),
      q.stations({ pageSize: 10 }),
      q.regions(),
      q.votesByHour(),
      q.votesByMethod(),
      q.votesByEducationParty(),
      q.votesByIncomeCandidate(),
      q.candidateLabels(),
      q.integrity(10),
    ]);
    out.push(performance.now() - started);
  }
  await pool.end();
  return out;
}

// First page, before any SSE client: warm up, then measure.
await timeGet('/', 20);
const pageTimes = await timeGet('/', PAGE_LOADS);
const healthTimes = await timeGet('/healthz', PAGE_LOADS);
const queryTimes = await timeQueries(PAGE_LOADS);
const pageBytes = (await (await fetch(`${base}/`)).text()).length;

/** One SSE client on a raw socket: reports when `marker` has arrived. */
class SseClient {
  readonly socket: net.Socket;
  #tail = '';
  #waiting?: { marker: string; resolve: (at: number) => void };
  ready: Promise<void>;

  constructor() {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    let markReady: () => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.socket.on('connect', () => {
      this.socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    this.socket.on('data', (chunk: string) => {
      const text = this.#tail + chunk;
      // The first message is the whole grid: the client is then subscribed.
      if (text.includes('id="panels"')) markReady();
      if (this.#waiting && text.includes(this.#waiting.marker)) {
        const { resolve } = this.#waiting;
        this.#waiting = undefined;
        resolve(performance.now());
      }
      this.#tail = text.slice(-64);
    });
    this.socket.on('error', () => {});
  }

  waitFor(marker: string): Promise<number> {
    return new Promise((resolve) => {
      this.#waiting = { marker, resolve };
    });
  }
}

const clients: SseClient[] = [];
const connectStarted = performance.now();
for (let i = 0; i < CLIENTS; i += 50) {
  const batch = Array.from({ length: Math.min(50, CLIENTS - i) }, () => new SseClient());
  clients.push(...batch);
  await Promise.all(batch.map((c) => c.ready));
}
const connectMs = performance.now() - connectStarted;

// PostgreSQL's floor: UPDATE to NOTIFY at a listener, the trigger the dashboard installed firing.
const listener = new pg.Client({ connectionString: databaseUrl });
await listener.connect();
await listener.query('LISTEN tally_changes');
let notified: ((at: number) => void) | undefined;
listener.on('notification', () => notified?.(performance.now()));

const writer = new pg.Client({ connectionString: databaseUrl });
await writer.connect();
const update = `UPDATE ${schema}.votes_by_method SET votes = $1 WHERE method = 'proxy'`;

const notifyTimes: number[] = [];
for (let i = 0; i < Math.min(COMMITS, 100); i++) {
  const arrived = new Promise<number>((resolve) => {
    notified = resolve;
  });
  const started = performance.now();
  await writer.query(update, [800_000_000 + i]);
  notifyTimes.push((await arrived) - started);
  await sleep(20);
}
notified = undefined;
await sleep(500);

const allTimes: number[] = [];
const eachTimes: number[] = [];
for (let i = 0; i < COMMITS; i++) {
  const votes = 900_000_000 + i;
  const marker = votes.toLocaleString('en-GB');
  const arrivals = clients.map((c) => c.waitFor(marker));
  const started = performance.now();
  await writer.query(update, [votes]);
  const times = (await Promise.all(arrivals)).map((at) => at - started);
  allTimes.push(Math.max(...times));
  eachTimes.push(...times);
  // Beyond the hub's 250 ms coalescing interval: each commit is sent at once.
  await sleep(300);
}

console.log(
  `dashboard: ${election.constituencies.length} constituencies, ${election.pollingStations.length} polling stations, ${election.candidates.length} candidates; page ${(pageBytes / 1024).toFixed(0)} KiB`,
);
line('GET / (first page, every panel rendered)', pageTimes);
line('  baseline: GET /healthz (SELECT 1)', healthTimes);
line("  baseline: the panels' queries directly with pg", queryTimes);
line(`commit to panel at all ${CLIENTS} SSE clients`, allTimes, `(${COMMITS} commits)`);
line(`commit to panel at one SSE client`, eachTimes, `(${eachTimes.length.toLocaleString('en')} arrivals)`);
line('  baseline: commit to NOTIFY at a LISTENing pg client', notifyTimes);
console.log(`${CLIENTS} SSE clients connected and sent the whole grid in ${(connectMs / 1000).toFixed(1)} s`);

for (const c of clients) c.socket.destroy();
await writer.end();
await listener.end();
dashboard.kill('SIGTERM');
await new Promise((resolve) => dashboard.once('exit', resolve));
await admin.query(`DROP SCHEMA ${schema} CASCADE`);
await admin.end();
await supervisor?.stop();
fs.rmSync(dir, { recursive: true, force: true });
