import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indexUuid } from './ids.ts';

describe('indexUuid', () => {
  test('gives the ids it always gave (pinned: they are on topics and in the truth)', () => {
    assert.equal(indexUuid(0, 1), '9203fd29-f7b6-4cf0-b969-c28fc860da5a');
    assert.equal(indexUuid(4294967295, 0xdeadbeef), '4e18ef4f-17cf-40f5-a80c-6ba5c7013c91');
    assert.equal(indexUuid(123456, 42), '0d4429a4-d9ce-4789-80ac-5a8cb1f53afc');
  });

  test('version-4-shaped and distinct for distinct indices', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = indexUuid(i, 7);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 50_000);
  });
});
