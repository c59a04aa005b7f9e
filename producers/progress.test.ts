import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress, formatBar, formatLine, formatSummary } from './progress.ts';

const halfway = { label: 'votes', done: 100_000, total: 200_000, elapsedMs: 2_000 };

test('the bar shows share, counts, rate and time left', () => {
  assert.equal(formatBar(halfway), 'votes      [############------------]  50%  100,000/200,000  50,000/s  ETA 0:02');
  assert.match(formatBar({ ...halfway, done: 0, elapsedMs: 0 }), /0\/s {2}ETA --:--$/);
  assert.match(formatBar({ ...halfway, done: 1, total: 7_200_001, elapsedMs: 1_000 }), /ETA 2000:00:00$/);
});

test('plain lines and the summary carry the same figures', () => {
  assert.equal(formatLine(halfway), 'votes: 100,000/200,000 (50%), 50,000/s, ETA 0:02');
  assert.equal(
    formatSummary({ ...halfway, done: 200_000, elapsedMs: 4_000 }),
    'votes: 200,000 records in 4.0 s (50,000/s)',
  );
  assert.equal(formatSummary(halfway, true), 'votes: stopped after 100,000 of 200,000 records in 2.0 s (50,000/s)');
});

function capture(tty: boolean) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => {
    text += chunk;
  });
  const clock = { now: 0 };
  const progress = createProgress('votes', 1_000, out, { tty, lineIntervalMs: 5_000, clock: () => clock.now });
  return { progress, clock, text: () => text };
}

test('on a terminal the bar is redrawn in place, then replaced by the summary', () => {
  const { progress, clock, text } = capture(true);
  clock.now = 200;
  progress.advance(500);
  clock.now = 400;
  progress.advance(500);
  progress.finish();
  assert.equal(text().split('\r').length, 4);
  assert.ok(!text().slice(0, -1).includes('\n'), 'one line, redrawn');
  assert.ok(text().endsWith('\r\x1b[Kvotes: 1,000 records in 0.4 s (2,500/s)\n'), JSON.stringify(text()));
});

test('elsewhere plain lines come every few seconds, without control characters', () => {
  const { progress, clock, text } = capture(false);
  for (let i = 1; i <= 10; i++) {
    clock.now = i * 1_000;
    progress.advance(100);
  }
  progress.finish();
  assert.deepEqual(text().trim().split('\n'), [
    'votes: 500/1,000 (50%), 100/s, ETA 0:05',
    'votes: 1,000/1,000 (100%), 100/s, ETA 0:00',
    'votes: 1,000 records in 10.0 s (100/s)',
  ]);
  assert.ok(!text().includes('\r') && !text().includes('\x1b'), 'no control characters');
});
