// Golden tests on the bytes real clients send: a recording proxy sits between
// each client and the broker, and every request frame it saw must decode and
// re-encode to exactly the same bytes (flexible ApiVersions v3 from librdkafka
// included). Complements the kafkajs fixtures in ../protocol.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestBroker } from '../../test/support/broker.ts';
import { API_KEYS, apiName, decodeRequest, encodeRequest } from '../protocol/index.ts';
import { kafkajs } from './clients.ts';

const run = promisify(execFile);

/**
 * A TCP proxy to a broker that records every request frame clients send
 * through it. The broker advertises the proxy's port, so that every
 * connection a client opens goes through it.
 */
async function recordingProxy() {
  const frames: Buffer[] = [];
  let brokerPort = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(brokerPort, '127.0.0.1');
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        frames.push(pending.subarray(4, 4 + size));
        pending = pending.subarray(4 + size);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const { broker } = await startTestBroker({ groupInitialRebalanceDelayMs: 0, advertisedPort: port });
  brokerPort = broker.port;
  after(() => server.close());
  return { frames, address: `127.0.0.1:${port}` };
}

/** Decodes each frame and checks it re-encodes byte for byte; returns the API names and versions seen. */
function roundTrip(frames: Buffer[]): Set<string> {
  const seen = new Set<string>();
  for (const frame of frames) {
    const { header, request } = decodeRequest(frame);
    const again = encodeRequest(header, request).subarray(4);
    assert.deepEqual(
      again,
      frame,
      `${apiName(header.apiKey)} v${header.apiVersion} did not re-encode to the same bytes`,
    );
    seen.add(`${apiName(header.apiKey)} v${header.apiVersion}`);
  }
  return seen;
}

const includes = (seen: Set<string>, apis: string[]) => {
  for (const api of apis)
    assert.ok(
      [...seen].some((s) => s.startsWith(`${api} `)),
      `no ${api} in ${[...seen].join(', ')}`,
    );
};

describe('bytes sent by real clients', () => {
  it('librdkafka (kcat) requests re-encode byte for byte, ApiVersions v3 first', async () => {
    const proxy = await recordingProxy();
    const produce = run('kcat', [
      '-b',
      proxy.address,
      '-P',
      '-t',
      'rdk-bytes',
      '-K',
      ':',
      '-X',
      'enable.idempotence=true',
    ]);
    produce.child.stdin?.end('k1:v1\nk2:v2\n');
    await produce;
    await run('kcat', ['-b', proxy.address, '-G', 'rdk-bytes-group', '-o', 'beginning', '-e', '-q', 'rdk-bytes'], {
      timeout: 30_000,
    });
    const first = decodeRequest(proxy.frames[0]!).header;
    assert.deepEqual([first.apiKey, first.apiVersion], [API_KEYS.ApiVersions, 3]);
    const seen = roundTrip(proxy.frames);
    includes(seen, [
      'ApiVersions',
      'Metadata',
      'InitProducerId',
      'Produce',
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'Heartbeat',
      'ListOffsets',
      'Fetch',
      'OffsetCommit',
      'LeaveGroup',
    ]);
  });

  it('kafkajs requests re-encode byte for byte, produce, fetch and groups included', async () => {
    const proxy = await recordingProxy();
    const kafka = kafkajs(proxy.address);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bytes' }] });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'bytes', messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'bytes-group', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'bytes', fromBeginning: true });
    const received = new Promise<void>((resolve) => void consumer.run({ eachMessage: async () => resolve() }));
    await received;
    await consumer.disconnect();
    await admin.fetchTopicOffsets('bytes');
    await admin.disconnect();
    const seen = roundTrip(proxy.frames);
    includes(seen, [
      'ApiVersions',
      'Metadata',
      'CreateTopics',
      'InitProducerId',
      'Produce',
      'JoinGroup',
      'SyncGroup',
      'Fetch',
      'LeaveGroup',
      'ListOffsets',
    ]);
  });
});
