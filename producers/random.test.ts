import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indexUuid } from './ids.ts';
import { cumulative, deriveSeed, permute32, pickCumulative, Random, searchCumulative } from './random.ts';

describe('seeded randomness', () => {
  test('permute32 is a bijection: a million indices, a million distinct outputs', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1_000_000; i++) seen.add(permute32(i, 0xdecafbad));
    assert.equal(seen.size, 1_000_000);
  });

  test('index UUIDs are version-4 shaped and distinct per key', () => {
    const id = indexUuid(12345, 7);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(indexUuid(12345, 7), id);
    assert.notEqual(indexUuid(12345, 8), id);
  });

  test('Random repeats its stream for a seed, and is roughly uniform', () => {
    const a = new Random(42);
    const b = new Random(42);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = a.next();
      assert.equal(x, b.next());
      assert.ok(x >= 0 && x < 1);
      const bucket = Math.floor(x * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    for (const n of buckets) assert.ok(Math.abs(n - 10_000) < 500, `${buckets}`);
    assert.notEqual(new Random(43).next(), new Random(42).next());
  });

  test('normal draws have mean 0 and variance 1', () => {
    const r = new Random(1);
    let sum = 0;
    let squares = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      sum += x;
      squares += x * x;
    }
    assert.ok(Math.abs(sum / n) < 0.02);
    assert.ok(Math.abs(squares / n - 1) < 0.03);
  });

  test('derived seeds differ by label and by seed', () => {
    assert.notEqual(deriveSeed(1, 'votes'), deriveSeed(1, 'voters'));
    assert.notEqual(deriveSeed(1, 'votes'), deriveSeed(2, 'votes'));
    assert.equal(deriveSeed(1, 'votes'), deriveSeed(1, 'votes'));
  });

  test('cumulative tables pick categories in proportion, by scan and by search alike', () => {
    const table = cumulative([1, 0, 3]);
    assert.deepEqual([...table], [0.25, 0.25, 1]);
    const r = new Random(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const u = r.next();
      const k = pickCumulative(table, u);
      assert.equal(searchCumulative(table, u), k);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    assert.equal(counts[1], 0);
    assert.ok(Math.abs((counts[0] ?? 0) / 40_000 - 0.25) < 0.01);
    assert.throws(() => cumulative([0, 0]), /sum to zero/);
  });
});
