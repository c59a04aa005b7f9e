/**
 * The dashboard in a real browser (Debian's chromium through playwright-core):
 * the page shows the figures, and changes in PostgreSQL reach it over SSE
 * without a reload; the election panels with a small seeded election (the
 * contract's tables as the sink fills them), their drill-down and the polling
 * stations' sorting and paging. Screenshots go to test-artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../config/index.ts';
import { createElection } from '../producers/index.ts';
import { testLogger } from '../test/support/index.ts';
import { query, startTestPostgres } from '../test/support/postgres.ts';
import { seedElection } from './panels/election/seed.ts';
import { startDashboard } from './server.ts';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const postgres = await startTestPostgres();
await query(
  postgres.url,
  `CREATE TABLE party_scores (party text PRIMARY KEY, votes bigint);
   INSERT INTO party_scores VALUES ('Greens', 120), ('Blues', 80), ('<script>window.pwned=1</script>', 5)`,
);
const election = createElection({ scenario: 'small', seed: 5 });
const truth = election.truth();
await seedElection(postgres.url, 'public', election);
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
    const total = page.locator('#panel-party_scores [data-total="votes"]');
    assert.equal(await total.textContent(), '205');
    // The candidate called <script> is text, not a script that ran.
    assert.equal(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    // A mark that a reload would wipe.
    await page.evaluate(() => {
      (globalThis as unknown as { mark: string }).mark = 'still here';
    });

    await query(postgres.url, "INSERT INTO party_scores VALUES ('Reds', 1000)");
    await page.locator('#panel-party_scores [data-total="votes"]', { hasText: '1,205' }).waitFor({ timeout: 10_000 });
    await page.locator('#panel-party_scores svg.bar-chart text', { hasText: 'Reds' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark), 'still here');

    await query(
      postgres.url,
      "CREATE TABLE turnout_estimates (region text, turnout numeric); INSERT INTO turnout_estimates VALUES ('North', 61.5)",
    );
    await page.locator('h2', { hasText: 'Turnout estimates' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark), 'still here');

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-wide.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors or warnings (a CSP violation would be one)');
    await page.close();
  });

  test('sorts a table from the keyboard, and keeps the order across a live update', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await page.goto(dashboard.url);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    const panel = page.locator('#panel-party_scores');
    const firstParty = () => panel.locator('tbody tr:first-child td:first-child').textContent();
    assert.equal(await firstParty(), 'Reds');
    // Votes is sorted descending; one press makes it ascending.
    await panel.getByRole('button', { name: 'Votes' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await firstParty(), '<script>window.pwned=1</script>');
    assert.equal(await panel.locator('th:nth-child(2)').getAttribute('aria-sort'), 'ascending');

    await query(postgres.url, "INSERT INTO party_scores VALUES ('Purples', 1)");
    await panel.locator('td', { hasText: 'Purples' }).waitFor({ timeout: 10_000 });
    assert.equal(await firstParty(), 'Purples');
    // The update replaced the panel, and the keyboard user's focus is where it was.
    assert.equal(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
      ),
      'panel-party_scores-sort-1',
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

  test('the election: totals, a sink update without a reload, the region drill-down, stations sorted and paged by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.text()} ${message.location().url}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(dashboard.url);
    const voted = page.locator('#panel-election-totals [data-total="voted"]');
    assert.equal(await voted.textContent(), truth.totals.counted_votes.toLocaleString('en-GB'));
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.evaluate(() => {
      (globalThis as unknown as { mark: string }).mark = 'still here';
    });

    // The sink upserts a region's turnout: the totals change without a reload.
    const region = election.regions[0]!;
    await query(postgres.url, 'UPDATE turnout_by_region SET voted = voted + 1000 WHERE region_id = $1', [
      region.region_id,
    ]);
    const expected = (truth.totals.counted_votes + 1000).toLocaleString('en-GB');
    await page
      .locator('#panel-election-totals [data-total="voted"]', { hasText: expected })
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark), 'still here');

    // Drill down into a region: its constituencies load into the region panel.
    await page.locator(`#panel-election-turnout button.drill[data-region="${region.region_id}"]`).click();
    await page
      .locator('#region-detail caption', { hasText: `Constituencies of ${region.name}` })
      .waitFor({ timeout: 10_000 });
    const constituency = election.constituencies.find((c) => c.region_id === region.region_id)!;
    await page.locator('#region-detail', { hasText: constituency.name }).waitFor();

    // Stations: sort by name from the keyboard, then the next page.
    const results = page.locator('#stations-results');
    await results.getByRole('button', { name: 'Polling station' }).focus();
    await page.keyboard.press('Enter');
    await results.locator('th[aria-sort="ascending"]', { hasText: 'Polling station' }).waitFor({ timeout: 10_000 });
    await results.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await results.locator('caption', { hasText: 'page 2 of' }).waitFor({ timeout: 10_000 });
    // A live change of the stations keeps this page's choice: it re-fetches page 2, sorted by name.
    await query(postgres.url, 'UPDATE votes_by_polling_station SET votes = votes + 1');
    await page.waitForTimeout(1000);
    assert.match((await results.locator('caption').textContent()) ?? '', /by polling station, ascending; page 2 of/);

    // A brand-new table (outside the contract) appears as a generic panel.
    await query(
      postgres.url,
      "CREATE TABLE observers (region text, observers int); INSERT INTO observers VALUES ('North', 3)",
    );
    await page.locator('#panel-observers h2', { hasText: 'Observers' }).waitFor({ timeout: 10_000 });
    // That redrew the whole grid: the page gets back its stations page and its region.
    await results
      .locator('caption', { hasText: 'by polling station, ascending; page 2 of' })
      .waitFor({ timeout: 10_000 });
    await page
      .locator('#region-detail caption', { hasText: `Constituencies of ${region.name}` })
      .waitFor({ timeout: 10_000 });

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-election.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors or warnings');
    await page.close();
  });
});
