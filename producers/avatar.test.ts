import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { avatarDataUri, avatarSvg, createElection } from './index.ts';

describe('avatars', () => {
  test('are deterministic SVG drawings in the party colour', () => {
    const options = { seed: 99, partyColor: '#1d4e89', presentation: 'female' } as const;
    const svg = avatarSvg(options);
    assert.equal(svg, avatarSvg(options));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/);
    assert.ok(svg.includes('fill="#1d4e89"'));
    assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(svg), 'no external reference');
  });

  test('differ by seed', () => {
    const drawings = new Set(
      Array.from({ length: 40 }, (_, seed) => avatarSvg({ seed, partyColor: '#d62839', presentation: 'male' })),
    );
    assert.ok(drawings.size > 30);
  });

  test('data URIs decode back to the drawing', () => {
    const options = { seed: 3, partyColor: '#3a9d23', presentation: 'male' } as const;
    const uri = avatarDataUri(options);
    const prefix = 'data:image/svg+xml;base64,';
    assert.ok(uri.startsWith(prefix));
    assert.equal(Buffer.from(uri.slice(prefix.length), 'base64').toString('utf8'), avatarSvg(options));
  });

  test('every candidate has one, small enough for a Kafka record', () => {
    const election = createElection({ scenario: 'small', seed: 1 });
    const photos = election.candidates.map((c) => c.photo);
    assert.equal(new Set(photos).size, photos.length);
    for (const photo of photos) assert.ok(photo.length < 4_000, `${photo.length} bytes`);
  });
});
