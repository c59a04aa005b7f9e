import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { testLogger } from '../test/support/index.ts';
import { query, startTestPostgres } from '../test/support/postgres.ts';
import { startDashboard } from './server.ts';

const postgres = await startTestPostgres();
const databaseUrl = postgres.url;
await query(
  databaseUrl,
  `CREATE TABLE candidate_scores (candidate text PRIMARY KEY, party text, votes bigint);
   INSERT INTO candidate_scores VALUES ('<script>alert(1)</script>', 'Mischief', 7), ('Ada Lovelace', 'Analytical', 1200)`,
);
const dashboard = await startDashboard({
  databaseUrl,
  host: '127.0.0.1',
  port: 0,
  logger: testLogger('dashboard'),
  minIntervalMs: 50,
  catalogIntervalMs: 100,
});
// The dashboard lets go of its connections before PostgreSQL stops (a smart shutdown waits for them).
after(async () => {
  await dashboard.stop();
  await postgres.stop();
});

interface SseMessage {
  id?: string;
  data: string;
}

/** Opens /events and reads its messages one by one. */
async function openEvents(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${dashboard.url}/events`, {
    headers: { accept: 'text/html, text/event-stream', ...headers },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(timeoutMs = 10_000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue; // a heartbeat comment
          message.data = data.join('\n');
          return message;
        }
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('no SSE message in time')), Math.max(0, deadline - Date.now()));
          }),
        ]).finally(() => clearTimeout(timer));
        if (read.done) throw new Error('the SSE stream ended');
        buffer += read.value;
      }
    },
    close: () => controller.abort(),
  };
}

describe('pages', () => {
  test('the page is rendered on the server, with a candidate called <script> shown as text', async () => {
    const response = await fetch(`${dashboard.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const body = await response.text();
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!body.includes('<script>alert'));
    assert.ok(body.includes('<h2 id="panel-candidate_scores-title">Candidate scores</h2>'));
    assert.ok(body.includes('<dd data-total="votes">1,207</dd>'));
  });

  test('every reply carries the security headers', async () => {
    for (const path of ['/', '/healthz', '/assets/dashboard.css', '/nowhere']) {
      const response = await fetch(`${dashboard.url}${path}`);
      await response.body?.cancel();
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.ok(!csp.includes('unsafe'), path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    }
  });

  test('a panel is served on its own, and an unknown one is a 404 naming it, escaped', async () => {
    const panel = await fetch(`${dashboard.url}/panels/candidate_scores`);
    assert.equal(panel.status, 200);
    assert.match(await panel.text(), /^<section class="panel" id="panel-candidate_scores"/);
    const missing = await fetch(`${dashboard.url}/panels/${encodeURIComponent('<nope>')}`);
    assert.equal(missing.status, 404);
    assert.ok((await missing.text()).includes('No table named &lt;nope&gt;'));
  });

  test('is read-only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${dashboard.url}/`, { method });
      await response.body?.cancel();
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
    }
  });

  test('serves htmx, its SSE extension and its own assets from the project', async () => {
    for (const [path, type] of [
      ['/assets/vendor/htmx.min.js', /javascript/],
      ['/assets/vendor/hx-sse.js', /javascript/],
      ['/assets/dashboard.js', /javascript/],
      ['/assets/dashboard.css', /css/],
    ] as const) {
      const response = await fetch(`${dashboard.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', type, path);
      assert.ok((await response.text()).length > 100, path);
    }
    const other = await fetch(`${dashboard.url}/assets/vendor/htmx.js`);
    await other.body?.cancel();
    assert.notEqual(other.status, 200);
  });

  test('/healthz answers while PostgreSQL does', async () => {
    const response = await fetch(`${dashboard.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });
});

describe('live updates over SSE', () => {
  test('a new connection gets the current state, then a re-rendered panel after an INSERT', async () => {
    const events = await openEvents();
    try {
      const first = await events.next();
      assert.match(first.id ?? '', /^[0-9a-f]{8}\.\d+$/);
      assert.match(first.data, /^<div id="panels" class="panels" hx-swap-oob="true">/);
      assert.ok(first.data.includes('1,207'));

      await query(databaseUrl, "INSERT INTO candidate_scores VALUES ('Grace Hopper', 'Compiler', 40000)");
      const update = await events.next();
      assert.match(update.data, /^<section class="panel" id="panel-candidate_scores"[^>]* hx-swap-oob="true">/);
      assert.ok(update.data.includes('<dd data-total="votes">41,207</dd>'));
      assert.ok(update.data.includes('Grace Hopper'));
      assert.notEqual(update.id, first.id);
    } finally {
      events.close();
    }
  });

  test('a reconnection with Last-Event-ID is sent the current state, including what changed meanwhile', async () => {
    const events = await openEvents();
    const first = await events.next();
    events.close();
    await query(databaseUrl, "UPDATE candidate_scores SET votes = votes + 1000 WHERE candidate = 'Ada Lovelace'");
    const again = await openEvents({ 'last-event-id': first.id ?? '' });
    try {
      const state = await again.next();
      assert.ok(state.data.includes('2,200'));
    } finally {
      again.close();
    }
  });

  test('a new table appears as a new panel, without a code change', async () => {
    const events = await openEvents();
    try {
      await events.next();
      await query(
        databaseUrl,
        "CREATE TABLE seats_by_party (party text, seats int); INSERT INTO seats_by_party VALUES ('Green', 12)",
      );
      let message = await events.next();
      while (!message.data.includes('Seats by party')) message = await events.next();
      assert.match(message.data, /^<div id="panels"/);
      assert.ok(message.data.includes('panel-candidate_scores'));
      const page = await (await fetch(`${dashboard.url}/`)).text();
      assert.ok(page.includes('Seats by party'));
      await query(databaseUrl, "INSERT INTO seats_by_party VALUES ('Blue', 30)");
      message = await events.next();
      while (!message.data.includes('Blue')) message = await events.next();
      assert.ok(message.data.includes('<dd data-total="seats">42</dd>'));
    } finally {
      events.close();
    }
  });

  test("a dropped table's panel goes", async () => {
    await query(databaseUrl, 'CREATE TABLE short_lived (label text, n int)');
    const events = await openEvents();
    try {
      let message = await events.next();
      while (!message.data.includes('Short lived')) message = await events.next();
      await query(databaseUrl, 'DROP TABLE short_lived');
      message = await events.next();
      while (message.data.includes('Short lived')) message = await events.next();
      assert.match(message.data, /^<div id="panels"/);
      assert.ok(message.data.includes('panel-candidate_scores'));
    } finally {
      events.close();
    }
  });
});
