import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_KEYS } from './api-keys.ts';
import { decodeRequestHeader, encodeRequestHeader, encodeResponseHeader, headerVersions } from './header.ts';
import { Decoder } from './wire/decoder.ts';
import { Encoder } from './wire/encoder.ts';

describe('header versions', () => {
  test('non-flexible versions use request header v1 and response header v0', () => {
    assert.deepEqual(headerVersions(API_KEYS.Produce, 8, 9), { request: 1, response: 0 });
  });

  test('flexible versions use request header v2 and response header v1', () => {
    assert.deepEqual(headerVersions(API_KEYS.Metadata, 9, 9), { request: 2, response: 1 });
  });

  test('ApiVersions keeps response header v0 even when flexible', () => {
    assert.deepEqual(headerVersions(API_KEYS.ApiVersions, 3, 3), { request: 2, response: 0 });
  });
});

describe('request header', () => {
  const header = { apiKey: 12, apiVersion: 3, correlationId: 0x01020304, clientId: 'tally' };

  test('v1 is key, version, correlation id, then an int16-length client id', () => {
    const encoder = new Encoder();
    encodeRequestHeader(encoder, header, 1);
    assert.equal(encoder.toBuffer().toString('hex'), `000c00030102030400057461 6c6c79`.replace(/ /g, ''));
    assert.deepEqual(decodeRequestHeader(new Decoder(encoder.toBuffer()), 1), header);
  });

  test('v2 keeps the int16-length client id and adds a tag buffer', () => {
    const encoder = new Encoder();
    encodeRequestHeader(encoder, header, 2);
    const wire = encoder.toBuffer();
    assert.equal(wire.at(-1), 0x00);
    assert.equal(wire.length, 2 + 2 + 4 + 2 + 5 + 1);
    const decoder = new Decoder(wire);
    assert.deepEqual(decodeRequestHeader(decoder, 2), header);
    assert.equal(decoder.remaining, 0);
  });

  test('a null client id is length -1', () => {
    const encoder = new Encoder();
    encodeRequestHeader(encoder, { ...header, clientId: null }, 1);
    assert.deepEqual(encoder.toBuffer().subarray(8), Buffer.from([0xff, 0xff]));
  });

  test('v0 has no client id', () => {
    const decoded = decodeRequestHeader(new Decoder(Buffer.from('000700000000002a', 'hex')), 0);
    assert.deepEqual(decoded, { apiKey: 7, apiVersion: 0, correlationId: 42, clientId: null });
  });
});

describe('response header', () => {
  test('v0 is the correlation id; v1 adds an empty tag buffer', () => {
    const v0 = new Encoder();
    encodeResponseHeader(v0, 7, 0);
    assert.equal(v0.toBuffer().toString('hex'), '00000007');
    const v1 = new Encoder();
    encodeResponseHeader(v1, 7, 1);
    assert.equal(v1.toBuffer().toString('hex'), '0000000700');
  });
});
