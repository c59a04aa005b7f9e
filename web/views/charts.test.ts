import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stationsResults } from '../panels/election/stations.ts';
import { regionDetail } from '../panels/election/turnout.ts';
import { barChart } from './bar-chart.ts';
import { fillAttribute, safeColor } from './color.ts';
import { columnChart } from './column-chart.ts';
import { chartFigure, simpleTable } from './figure.ts';
import { formatHourUtc, formatPercent, formatUtc } from './format.ts';
import { hemicycle, seatPositions } from './hemicycle.ts';
import { stackedBars } from './stacked-bars.ts';

describe('colours from the data', () => {
  test('only #rrggbb becomes a fill attribute', () => {
    assert.equal(safeColor('#D62839'), '#d62839');
    assert.equal(safeColor('red'), undefined);
    assert.equal(safeColor('#123"><script>'), undefined);
    assert.equal(fillAttribute('#1d4e89').value, ' fill="#1d4e89"');
    assert.equal(fillAttribute('url(javascript:x)').value, '');
  });

  test('bars take their colour, or the theme colour without one', () => {
    const svg = barChart(
      [
        { label: 'A', value: 2, color: '#3a9d23' },
        { label: 'B', value: 1 },
      ],
      { title: 't' },
    ).value;
    assert.ok(svg.includes('<rect class="bar-fill" fill="#3a9d23"'));
    assert.ok(svg.includes('<rect class="bar-fill" x='));
  });
});

describe('hemicycle', () => {
  test('one seat per constituency: declared in party order and colour, then the undeclared', () => {
    const svg = hemicycle(
      [
        { label: 'Civic <Progress>', seats: 5, color: '#d62839' },
        { label: 'Heritage', seats: 3, color: '#1d4e89' },
      ],
      4,
      { title: 'Seats: 8 of 12 declared' },
    ).value;
    assert.match(
      svg,
      /^<svg class="chart hemicycle" viewBox="0 0 420 220" role="img" aria-label="Seats: 8 of 12 declared"/,
    );
    assert.equal([...svg.matchAll(/<circle /g)].length, 12);
    assert.equal([...svg.matchAll(/fill="#d62839"/g)].length, 5);
    assert.equal([...svg.matchAll(/fill="#1d4e89"/g)].length, 3);
    assert.equal([...svg.matchAll(/class="seat seat-open"/g)].length, 4);
    assert.ok(svg.includes('<title>Civic &lt;Progress&gt;</title>'));
  });

  test('places every seat, left to right, for small and large parliaments', () => {
    for (const total of [1, 2, 10, 150, 650]) {
      const { spots, radius } = seatPositions(total);
      assert.equal(spots.length, total);
      assert.ok(radius > 0);
      for (let i = 1; i < spots.length; i++) assert.ok((spots[i - 1]?.angle ?? 0) >= (spots[i]?.angle ?? 0));
    }
    assert.equal(seatPositions(0).spots.length, 0);
  });
});

describe('stacked bars', () => {
  test('segments share each row in proportion, with a legend; labels escaped', () => {
    const svg = stackedBars(
      [
        { label: 'Bachelor', values: { CPP: 30, NHP: 10 } },
        { label: 'Secondary', values: {} },
      ],
      [
        { key: 'CPP', label: '<b>Civic</b>', color: '#d62839' },
        { key: 'NHP', label: 'Heritage', color: '#1d4e89' },
      ],
      { title: 'Education by party' },
    ).value;
    const widths = [...svg.matchAll(/<rect class="segment" fill="#[0-9a-f]+" x="[\d.]+" y="0" width="([\d.]+)"/g)].map(
      (m) => Number(m[1]),
    );
    assert.deepEqual(widths, [210, 70]);
    assert.ok(svg.includes('75.0%'));
    assert.ok(!svg.includes('<b>'));
    assert.ok(svg.includes('&lt;b&gt;Civic&lt;/b&gt;'));
    assert.ok(!svg.includes('NaN'));
  });
});

describe('column chart', () => {
  test('one column per hour, labelled in UTC, the tallest for the largest value', () => {
    const hour = Date.UTC(2026, 4, 7, 7);
    const svg = columnChart(
      [
        { label: formatHourUtc(hour), value: 10 },
        { label: formatHourUtc(hour + 3_600_000), value: 40 },
      ],
      { title: 'Votes per hour' },
    ).value;
    assert.ok(svg.includes('>07:00</text>'));
    assert.ok(svg.includes('>08:00</text>'));
    const heights = [...svg.matchAll(/<rect class="bar-fill" [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(heights.length, 2);
    assert.ok((heights[1] ?? 0) === 4 * (heights[0] ?? 0));
  });
});

describe('figures and formats', () => {
  test('a chart comes with its figures as a table with a caption and scoped headers', () => {
    const table = simpleTable(
      'Votes <by> party',
      [{ label: 'Party' }, { label: 'Votes', numeric: true }],
      [['<x>', '5']],
    );
    assert.ok(table.value.includes('<caption>Votes &lt;by&gt; party</caption>'));
    assert.ok(table.value.includes('<th scope="row">&lt;x&gt;</th><td class="numeric">5</td>'));
    const figure = chartFigure(barChart([], { title: 't' }), table).value;
    assert.match(
      figure,
      /^<figure class="chart-figure"><svg .*<details class="chart-data"><summary>Figures as a table<\/summary>/,
    );
    assert.ok(simpleTable('c', [{ label: 'a' }], []).value.includes('No data yet'));
  });

  test('times are UTC, percentages have one decimal', () => {
    assert.equal(formatUtc(Date.UTC(2026, 4, 7, 14, 5, 9)), '2026-05-07 14:05 UTC');
    assert.equal(formatUtc(Date.UTC(2026, 4, 7, 14, 5, 9), true), '2026-05-07 14:05:09 UTC');
    assert.equal(formatPercent(0.6234), '62.3%');
    assert.equal(formatPercent(Number.NaN), '0.0%');
  });
});

describe('election fragments as strings', () => {
  test('a region drill-down names its constituencies and marks ties and undeclared ones', () => {
    const row = {
      constituency_id: 'C001',
      name: '<i>North</i>',
      registered: 100,
      voted: 60,
      turnout: 0.6,
      winner_id: 'C001-CPP',
      winner_name: 'Ann',
      winner_party: 'CPP',
      winner_color: '#d62839',
      winner_votes: 30,
      runner_up_votes: 30,
      tied: true,
    };
    const open = { ...row, constituency_id: 'C002', name: 'South', winner_id: null, winner_name: null, tied: false };
    const fragment = regionDetail('R01', 'Northshire', [row, open]).value;
    assert.ok(fragment.startsWith('<div data-src="/regions/R01" data-region="R01">'));
    assert.ok(fragment.includes('&lt;i&gt;North&lt;/i&gt;'));
    assert.ok(fragment.includes('<span class="tag">tied</span>'));
    assert.ok(fragment.includes('<span class="undeclared">undeclared</span>'));
  });

  test('stations: sort buttons carry the next order, the pager the page, and the state is in data-src', () => {
    const fragment = stationsResults(
      {
        rows: [
          {
            polling_station_id: 'PS00001',
            name: 'School',
            constituency_id: 'C001',
            region_id: 'R01',
            region_name: 'N',
            votes: 5,
          },
        ],
        total: 25,
        page: 2,
        pageSize: 10,
      },
      { q: 'a&b', region: 'R01', sort: 'name', dir: 'asc', page: 2 },
    ).value;
    assert.ok(
      fragment.startsWith('<div data-src="/stations?q=a%26b&amp;region=R01&amp;sort=name&amp;dir=asc&amp;page=2">'),
    );
    assert.ok(
      fragment.includes(
        'id="stations-sort-name" hx-get="/stations?q=a%26b&amp;region=R01&amp;sort=name&amp;dir=desc&amp;page=1"',
      ),
    );
    assert.ok(
      fragment.includes(
        '<th scope="col" aria-sort="ascending"><button type="button" class="sort" id="stations-sort-name"',
      ),
    );
    assert.ok(
      fragment.includes(
        'id="stations-previous" hx-get="/stations?q=a%26b&amp;region=R01&amp;sort=name&amp;dir=asc&amp;page=1"',
      ),
    );
    assert.ok(fragment.includes('Page 2 of 3'));
    assert.ok(fragment.includes('<input type="hidden" name="sort" value="name">'));
  });
});
