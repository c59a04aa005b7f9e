import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { genericPanel } from '../panels/generic.ts';
import { PanelRegistry } from '../panels/registry.ts';
import type { TableSnapshot } from '../panels/source.ts';
import { barChart } from './bar-chart.ts';
import { dataTable } from './data-table.ts';
import { humanise, panelId } from './format.ts';
import { html, raw } from './html.ts';
import { page, panelFrame, panelGrid, tablePanel } from './page.ts';

const votesByCandidate: TableSnapshot = {
  table: {
    schema: 'public',
    name: 'votes_by_candidate',
    columns: [
      { name: 'candidate', kind: 'text' },
      { name: 'votes', kind: 'number' },
    ],
  },
  rows: [
    { candidate: '<script>alert(1)</script>', votes: 1200 },
    { candidate: 'Ann "Quote" & Co', votes: 300 },
  ],
  rowCount: 2,
  totals: { votes: 1500 },
  orderedBy: 'votes',
};

describe('html', () => {
  test('escapes interpolated text and attribute values', () => {
    const value = `<b onclick="x">'&'</b>`;
    assert.equal(
      html`<p title="${value}">${value}</p>`.value,
      '<p title="&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;">&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;</p>',
    );
  });

  test('keeps nested html and raw markup, and joins arrays', () => {
    assert.equal(
      html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value,
      '<ul><li>a&lt;</li><li>b</li></ul>',
    );
    assert.equal(html`${raw('<br>')}${null}${undefined}${false}${0}`.value, '<br>0');
  });
});

describe('bar chart', () => {
  test('draws one bar per row, the longest for the largest value, labels escaped', () => {
    const svg = barChart(
      [
        { label: '<script>', value: 100 },
        { label: 'B', value: 50 },
      ],
      { title: 'Votes & seats' },
    ).value;
    assert.match(svg, /^<svg class="bar-chart" viewBox="0 0 420 50" role="img" aria-label="Votes &amp; seats"/);
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;'));
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(widths, [210, 105]);
  });

  test('draws zero-width bars when every value is zero, and at most maxBars bars', () => {
    const bars = Array.from({ length: 20 }, (_, i) => ({ label: `c${i}`, value: 0 }));
    const svg = barChart(bars, { title: 't', maxBars: 5 }).value;
    assert.equal([...svg.matchAll(/<rect /g)].length, 5);
    assert.ok(!svg.includes('NaN'));
  });
});

describe('data table', () => {
  test('has a caption, column headers with scope, the sort column marked, cells escaped', () => {
    const table = dataTable(votesByCandidate, 'Votes by candidate').value;
    assert.ok(table.includes('<caption>Votes by candidate</caption>'));
    assert.equal([...table.matchAll(/<th scope="col"/g)].length, 2);
    assert.match(
      table,
      /aria-sort="descending" data-kind="number"><button type="button" class="sort" id="panel-votes_by_candidate-sort-1">Votes<\/button>/,
    );
    assert.ok(table.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!table.includes('<script>'));
    assert.ok(table.includes('data-sort="1200">1,200</td>'));
  });

  test('says so when the table is empty', () => {
    const table = dataTable({ ...votesByCandidate, rows: [], rowCount: 0, totals: { votes: 0 } }, 'Empty').value;
    assert.ok(table.includes('<td colspan="2" class="empty">No rows yet</td>'));
  });
});

describe('panels', () => {
  test('the generic panel shows totals, a chart for a text and a numeric column, and the rows', () => {
    const body = genericPanel.body(votesByCandidate).value;
    assert.ok(body.includes('<dd data-total="rows">2</dd>'));
    assert.ok(body.includes('<dd data-total="votes">1,500</dd>'));
    assert.ok(body.includes('<svg class="bar-chart"'));
    assert.ok(body.includes('<table>'));
    assert.ok(!body.includes('<script>'));
  });

  test('no chart without a text column', () => {
    const snapshot: TableSnapshot = {
      ...votesByCandidate,
      table: { ...votesByCandidate.table, columns: [{ name: 'votes', kind: 'number' }] },
      rows: [{ votes: 3 }],
    };
    assert.ok(!genericPanel.body(snapshot).value.includes('<svg'));
  });

  test('a view registered for a table replaces the generic panel for that table only', () => {
    const registry = new PanelRegistry().register('votes_by_candidate', {
      title: () => 'Votes per candidate',
      body: () => html`<p>special</p>`,
    });
    assert.equal(registry.viewFor('votes_by_candidate').title(votesByCandidate), 'Votes per candidate');
    assert.equal(registry.viewFor('turnout'), genericPanel);
  });

  test('panel ids are safe and distinct for names that differ only in unusual characters', () => {
    assert.equal(panelId('votes_by_party'), 'panel-votes_by_party');
    assert.equal(panelId('a b'), 'panel-a-20-b');
    assert.notEqual(panelId('a b'), panelId('a-20-b'));
    assert.notEqual(panelId('A'), panelId('a'));
    assert.match(panelId('Ünï "x"'), /^panel-[a-z0-9_-]+$/);
    assert.equal(humanise('votes_by_party'), 'Votes by party');
  });

  test('a frame sent over SSE is marked for an out-of-band swap by id; the page frame is not', () => {
    const panel = tablePanel('votes_by_candidate', 'Votes <b>', html`<p>x</p>`);
    const live = panelFrame(panel, true).value;
    assert.match(live, /^<section class="panel" id="panel-votes_by_candidate" [^>]*hx-swap-oob="true">/);
    assert.ok(live.includes('<h2 id="panel-votes_by_candidate-title">Votes &lt;b&gt;</h2>'));
    assert.ok(!panelFrame(panel).value.includes('hx-swap-oob'));
    assert.match(panelGrid([panel], true).value, /^<div id="panels" class="panels" hx-swap-oob="true">/);
  });

  test('the page loads only its own assets and connects to /events', () => {
    const document = page([], { schema: 'public' }).value;
    assert.ok(document.includes('hx-sse:connect="/events"'));
    for (const src of document.matchAll(/(?:src|href)="([^"]+)"/g)) assert.match(src[1] ?? '', /^\/assets\//);
    assert.ok(document.includes('No tables in the schema yet'));
  });
});
