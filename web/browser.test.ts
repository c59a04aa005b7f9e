/**
 * The dashboard in a real browser (Debian's chromium through playwright-core):
 * the page shows the figures, and changes in PostgreSQL reach it over SSE
 * without a reload. Screenshots go to test-artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../config/index.ts';
import { testLogger } from '../test/support/index.ts';
import { query, startTestPostgres } from '../test/support/postgres.ts';
import { startDashboard } from './server.ts';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const postgres = await startTestPostgres();
await query(
  postgres.url,
  `CREATE TABLE votes_by_party (party text PRIMARY KEY, votes bigint);
   INSERT INTO votes_by_party VALUES ('Greens', 120), ('Blues', 80), ('<script>window.pwned=1</script>', 5)`,
);
const dashboard = await startDashboard({
  databaseUrl: postgres.url,
  host: '127.0.0.1',
  port: 0,
  logger: testLogger('dashboard'),
  minIntervalMs: 50,
  catalogIntervalMs: 200,
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
after(async () => {
  await browser.close();
  await dashboard.stop();
  await postgres.stop();
});

describe('the dashboard in a browser', () => {
  test('shows the figures, then a change in PostgreSQL without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.text()} ${message.location().url}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(dashboard.url);
    const total = page.locator('#panel-votes_by_party [data-total="votes"]');
    assert.equal(await total.textContent(), '205');
    // The candidate called <script> is text, not a script that ran.
    assert.equal(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    // A mark that a reload would wipe.
    await page.evaluate(() => {
      (globalThis as unknown as { mark: string }).mark = 'still here';
    });

    await query(postgres.url, "INSERT INTO votes_by_party VALUES ('Reds', 1000)");
    await page.locator('#panel-votes_by_party [data-total="votes"]', { hasText: '1,205' }).waitFor({ timeout: 10_000 });
    await page.locator('#panel-votes_by_party svg.bar-chart text', { hasText: 'Reds' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark), 'still here');

    await query(
      postgres.url,
      "CREATE TABLE turnout_by_region (region text, turnout numeric); INSERT INTO turnout_by_region VALUES ('North', 61.5)",
    );
    await page.locator('h2', { hasText: 'Turnout by region' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark), 'still here');

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-wide.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors or warnings (a CSP violation would be one)');
    await page.close();
  });

  test('sorts a table from the keyboard, and keeps the order across a live update', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await page.goto(dashboard.url);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    const panel = page.locator('#panel-votes_by_party');
    const firstParty = () => panel.locator('tbody tr:first-child td:first-child').textContent();
    assert.equal(await firstParty(), 'Reds');
    // Votes is sorted descending; one press makes it ascending.
    await panel.getByRole('button', { name: 'Votes' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await firstParty(), '<script>window.pwned=1</script>');
    assert.equal(await panel.locator('th:nth-child(2)').getAttribute('aria-sort'), 'ascending');

    await query(postgres.url, "INSERT INTO votes_by_party VALUES ('Purples', 1)");
    await panel.locator('td', { hasText: 'Purples' }).waitFor({ timeout: 10_000 });
    assert.equal(await firstParty(), 'Purples');
    // The update replaced the panel, and the keyboard user's focus is where it was.
    assert.equal(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
      ),
      'panel-votes_by_party-sort-1',
    );

    // On a phone the panels stack in one column.
    const boxes = await page.locator('.panel').evaluateAll((panels) => panels.map((p) => p.getBoundingClientRect().x));
    assert.ok(
      boxes.every((x) => x === boxes[0]),
      `one column, saw x = ${boxes.join(', ')}`,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-phone-dark.png'), fullPage: true });
    await page.close();
  });
});
