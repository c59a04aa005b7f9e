import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  API_KEYS,
  type ApiVersionsRequest,
  type ApiVersionsResponse,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  encodeUnsupportedApiVersionsResponse,
  type FetchResponse,
  MalformedFrameError,
  type ProduceRequest,
  SUPPORTED_APIS,
  UnknownApiKeyError,
  UnsupportedVersionError,
} from './index.ts';
import { Decoder } from './wire/decoder.ts';

/** ApiVersions v3 as librdkafka 2.x sends it: request header v2, compact body, tag buffers. */
const librdkafkaApiVersionsV3 = Buffer.concat([
  Buffer.from([0x00, 0x12, 0x00, 0x03]), // api key 18, version 3
  Buffer.from([0x00, 0x00, 0x00, 0x01]), // correlation id 1
  Buffer.from([0x00, 0x07]), // client id: int16 length, even in header v2
  Buffer.from('rdkafka'),
  Buffer.from([0x00]), // header tag buffer
  Buffer.from([0x0b]), // compact string: 10 + 1
  Buffer.from('librdkafka'),
  Buffer.from([0x07]), // compact string: 6 + 1
  Buffer.from('2.15.0'),
  Buffer.from([0x00]), // body tag buffer
]);

const stripSize = (frame: Buffer) => {
  assert.equal(frame.readInt32BE(0), frame.length - 4, 'size prefix');
  return frame.subarray(4);
};

describe('ApiVersions v3 (librdkafka)', () => {
  test('decodes the flexible request header and body', () => {
    const { header, apiName, request } = decodeRequest(librdkafkaApiVersionsV3);
    assert.equal(apiName, 'ApiVersions');
    assert.deepEqual(header, { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka' });
    assert.deepEqual(request as ApiVersionsRequest, {
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.15.0',
    });
  });

  test('answers with response header v0 and a compact v3 body advertising our ranges', () => {
    const { header } = decodeRequest(librdkafkaApiVersionsV3);
    const response: ApiVersionsResponse = { errorCode: 0, apiKeys: [...SUPPORTED_APIS], throttleTimeMs: 0 };
    const frame = stripSize(encodeResponse(header, response));
    // Response header v0: the correlation id and no tag buffer; then error_code 0.
    assert.equal(frame.readInt32BE(0), 1);
    assert.equal(frame.readInt16BE(4), 0);
    assert.equal(frame[6], SUPPORTED_APIS.length + 1, 'compact array length');
    const decoded = decodeResponse(header, frame);
    assert.equal(decoded.correlationId, 1);
    assert.deepEqual((decoded.response as ApiVersionsResponse).apiKeys, SUPPORTED_APIS);
  });

  test('an unsupported ApiVersions version is answered in the v0 layout with error 35 and our range', () => {
    const v9 = Buffer.from(librdkafkaApiVersionsV3);
    v9.writeInt16BE(9, 2);
    const error = (() => {
      try {
        decodeRequest(v9);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof UnsupportedVersionError);
    assert.equal(error.header.correlationId, 1);
    const frame = stripSize(encodeUnsupportedApiVersionsResponse(error.header));
    const decoder = new Decoder(frame);
    assert.equal(decoder.int32(), 1, 'correlation id');
    assert.equal(decoder.int16(), 35, 'UNSUPPORTED_VERSION');
    const ranges = decoder.array((d) => [d.int16(), d.int16(), d.int16()]);
    assert.deepEqual(ranges, [[18, 0, 3]]);
    assert.equal(decoder.remaining, 0, 'v0 layout: no throttle time');
  });
});

describe('the registry', () => {
  test('advertises the ranges we serve', () => {
    const range = (key: number) => SUPPORTED_APIS.find((api) => api.apiKey === key);
    assert.deepEqual(range(API_KEYS.Produce), { apiKey: 0, minVersion: 3, maxVersion: 8 });
    assert.deepEqual(range(API_KEYS.Fetch), { apiKey: 1, minVersion: 4, maxVersion: 11 });
    assert.deepEqual(range(API_KEYS.Metadata), { apiKey: 3, minVersion: 1, maxVersion: 8 });
    assert.deepEqual(range(API_KEYS.OffsetForLeaderEpoch), { apiKey: 23, minVersion: 0, maxVersion: 2 });
    assert.equal(SUPPORTED_APIS.length, 28);
  });

  test('an unknown api key is a typed error that still carries the correlation id', () => {
    const frame = Buffer.from('03e7000000000063ffff', 'hex'); // key 999, v0, correlation 99, null client id
    assert.throws(
      () => decodeRequest(frame),
      (error: unknown) => error instanceof UnknownApiKeyError && error.header.correlationId === 99,
    );
  });

  test('an unsupported version of a known API is a typed error with the header', () => {
    const frame = Buffer.from('00000002000000070000', 'hex'); // Produce v2, correlation 7
    assert.throws(
      () => decodeRequest(frame),
      (error: unknown) =>
        error instanceof UnsupportedVersionError && error.header.correlationId === 7 && error.minVersion === 3,
    );
  });

  test('a truncated body is a MalformedFrameError naming the API and version', () => {
    const produce: ProduceRequest = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topics: [{ name: 'votes', partitions: [{ index: 0, records: Buffer.from('batch') }] }],
    };
    const frame = stripSize(encodeRequest({ apiKey: 0, apiVersion: 7, correlationId: 5, clientId: 'c' }, produce));
    assert.throws(() => decodeRequest(frame.subarray(0, frame.length - 2)), /Produce v7 request: truncated/);
    assert.throws(() => decodeRequest(frame.subarray(0, frame.length - 2)), MalformedFrameError);
  });

  test('trailing bytes after a body are rejected', () => {
    const frame = Buffer.concat([
      Buffer.from('000c000000000001ffff', 'hex'),
      Buffer.from('0001610000000100016200', 'hex'),
    ]);
    assert.throws(() => decodeRequest(frame), /trailing bytes/);
  });

  test('Produce round-trips through the client and broker sides, records kept as a slice', () => {
    const records = Buffer.alloc(10_000, 1);
    const produce: ProduceRequest = {
      transactionalId: 'tx',
      acks: 1,
      timeoutMs: 1000,
      topics: [{ name: 'votes', partitions: [{ index: 2, records }] }],
    };
    const frame = stripSize(encodeRequest({ apiKey: 0, apiVersion: 8, correlationId: 9, clientId: null }, produce));
    const { header, request } = decodeRequest(frame);
    assert.equal(header.correlationId, 9);
    const decoded = request as ProduceRequest;
    assert.deepEqual(decoded, produce);
    assert.equal(decoded.topics[0]?.partitions[0]?.records?.buffer, frame.buffer, 'records are not copied');
  });

  test('a Fetch response frame carries the size prefix and response header v0', () => {
    const header = { apiKey: 1, apiVersion: 11, correlationId: 3, clientId: 'kafkajs' };
    const response: FetchResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'votes',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 10n,
              lastStableOffset: 10n,
              logStartOffset: 0n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: Buffer.from('opaque'),
            },
          ],
        },
      ],
    };
    const frame = stripSize(encodeResponse(header, response));
    assert.equal(frame.readInt32BE(0), 3);
    assert.deepEqual(decodeResponse(header, frame).response, response);
  });
});
