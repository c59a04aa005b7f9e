// Bad frames close the connection that sent them; the broker keeps serving
// everyone else and loses nothing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { startTestBroker } from '../../test/support/broker.ts';
import { API_KEYS, decodeResponse, encodeRequest, type RequestHeader } from '../protocol/index.ts';
import { buildRecordBatch } from '../records/index.ts';
import { kafkajs, kcatRead } from './clients.ts';

/** Sends bytes on a new connection; resolves with what came back once the broker closes it or goes quiet. */
function exchange(port: number, bytes: Buffer, quietMs = 300): Promise<{ reply: Buffer; closedByBroker: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByBroker: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks), closedByBroker });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(bytes);
      timer = setTimeout(() => finish(false), quietMs);
    });
  });
}

const header = (apiKey: number, apiVersion: number, correlationId = 7): RequestHeader => ({
  apiKey,
  apiVersion,
  correlationId,
  clientId: 'fuzzer',
});

/** A deterministic PRNG (mulberry32), so that a failing case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the broker given bad input', async () => {
  const { address, broker } = await startTestBroker({ maxFrameBytes: 1024 * 1024 });
  const port = broker.port;

  it('answers an ApiVersions version it does not know with error 35 and its own range', async () => {
    const request = encodeRequest(header(API_KEYS.ApiVersions, 0), {
      clientSoftwareName: '',
      clientSoftwareVersion: '',
    });
    request.writeInt16BE(99, 6); // the api version field
    const { reply } = await exchange(port, request);
    const { response } = decodeResponse(header(API_KEYS.ApiVersions, 0), reply.subarray(4)) as {
      response: { errorCode: number; apiKeys: { apiKey: number; maxVersion: number }[] };
    };
    assert.equal(response.errorCode, 35);
    assert.deepEqual(response.apiKeys.find((k) => k.apiKey === API_KEYS.ApiVersions)?.maxVersion, 3);
  });

  it('closes a connection that sends an oversized, truncated or unknown frame', async () => {
    const oversized = Buffer.alloc(8);
    oversized.writeInt32BE(64 * 1024 * 1024);
    assert.equal((await exchange(port, oversized)).closedByBroker, true, 'oversized frame');

    const negative = Buffer.alloc(8);
    negative.writeInt32BE(-5);
    assert.equal((await exchange(port, negative)).closedByBroker, true, 'negative size');

    const metadata = encodeRequest(header(API_KEYS.Metadata, 5), {
      topics: [{ name: 'votes' }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const truncated = Buffer.from(metadata.subarray(0, metadata.length - 3));
    truncated.writeInt32BE(truncated.length - 4);
    assert.equal((await exchange(port, truncated)).closedByBroker, true, 'truncated body');

    const unknownApi = Buffer.from(metadata);
    unknownApi.writeInt16BE(999, 4);
    assert.equal((await exchange(port, unknownApi)).closedByBroker, true, 'unknown api key');
  });

  it('refuses a batch whose CRC is wrong with CORRUPT_MESSAGE and writes nothing', async () => {
    const batch = await buildRecordBatch({ records: [{ key: 'k', value: 'tampered' }] });
    batch.writeUInt8(batch.readUInt8(batch.length - 1) ^ 0xff, batch.length - 1);
    const request = encodeRequest(header(API_KEYS.Produce, 7), {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topics: [{ name: 'crc', partitions: [{ index: 0, records: batch }] }],
    });
    const admin = kafkajs(address).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crc' }] });
    await admin.disconnect();
    const { reply } = await exchange(port, request);
    const { response } = decodeResponse(header(API_KEYS.Produce, 7), reply.subarray(4)) as {
      response: { responses: { partitions: { errorCode: number }[] }[] };
    };
    assert.equal(response.responses[0]?.partitions[0]?.errorCode, 2);
    assert.deepEqual(await kcatRead(address, 'crc'), []);
  });

  it('survives thousands of random and mutated frames, and real clients still work with nothing lost', async () => {
    const kafka = kafkajs(address);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const before = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `before-${i}` }));
    await producer.send({ topic: 'survivor', acks: -1, messages: before });

    const next = random(20261125);
    const valid = [
      encodeRequest(header(API_KEYS.Metadata, 5), {
        topics: null,
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      }),
      encodeRequest(header(API_KEYS.Produce, 7), {
        transactionalId: null,
        acks: -1,
        timeoutMs: 1000,
        topics: [
          { name: 'fuzz', partitions: [{ index: 0, records: await buildRecordBatch({ records: [{ value: 'x' }] }) }] },
        ],
      }),
      encodeRequest(header(API_KEYS.ApiVersions, 3), { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
    ];
    const frames: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const kind = next();
      if (kind < 0.3) {
        // Random bytes behind a plausible size prefix.
        const body = Buffer.from(Array.from({ length: Math.floor(next() * 200) + 8 }, () => Math.floor(next() * 256)));
        const frame = Buffer.alloc(4 + body.length);
        frame.writeInt32BE(body.length);
        body.copy(frame, 4);
        frames.push(frame);
      } else {
        // A valid request with a few bytes flipped after the size prefix.
        const frame = Buffer.from(valid[Math.floor(next() * valid.length)]!);
        for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
          const at = 4 + Math.floor(next() * (frame.length - 4));
          frame[at] = Math.floor(next() * 256);
        }
        frames.push(frame);
      }
    }
    // Several frames per connection, many connections at once.
    for (let i = 0; i < frames.length; i += 60) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => {
          const group = frames.slice(i + j * 3, i + j * 3 + 3);
          return group.length ? exchange(port, Buffer.concat(group), 50) : Promise.resolve();
        }),
      );
    }

    const after = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `after-${i}` }));
    await producer.send({ topic: 'survivor', acks: -1, messages: after });
    await producer.disconnect();
    const read = await kcatRead(address, 'survivor');
    assert.deepEqual(
      read.map((m) => m.payload),
      [...before, ...after].map((m) => m.value),
    );
  });
});
