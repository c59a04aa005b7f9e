import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchDashboardTotals } from './dashboard-totals.ts';

test("the totals panel's votes counted, read from each SSE message, across chunks and data lines", async () => {
  let send: (text: string) => void = () => {};
  const server = http.createServer((request, response) => {
    assert.equal(request.url, '/events');
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    send = (text) => response.write(text);
    send('id: a.1\ndata: <div id="panels"><dd data-total="voted">1,234</dd>\ndata: </div>\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const totals = await watchDashboardTotals(url);
    assert.deepEqual(
      totals.observations.map((o) => o.total),
      [1234],
    );
    // A message split mid-figure, one without the totals, then one split across data lines.
    send('id: a.2\ndata: <dd data-total="voted">12,');
    await sleep(20);
    send('345</dd>\n\nid: a.3\ndata: <section id="panel-x"></section>\n\n');
    send('id: a.4\ndata: <dd data-total="voted">\ndata: 2,000,000</dd>\n\n');
    const deadline = Date.now() + 5000;
    while (totals.observations.length < 3 && Date.now() < deadline) await sleep(10);
    assert.deepEqual(
      totals.observations.map((o) => o.total),
      [1234, 12_345, 2_000_000],
    );
    const times = totals.observations.map((o) => o.at);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    totals.close();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
