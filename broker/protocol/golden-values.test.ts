/**
 * A byte-identical round trip cannot catch two same-typed fields read in the
 * wrong order; these checks pin decoded values of a few captured bodies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiDefinition } from './api.ts';
import { listFixtures, readFixture } from './fixtures.ts';
import { APIS, type FetchRequest, type JoinGroupRequest, type MetadataResponse, type ProduceRequest } from './index.ts';
import { Decoder } from './wire/decoder.ts';

function decode(id: string, apiName: string, version: number): unknown {
  const fixture = listFixtures().find((f) => f.id === id);
  const api = APIS.find((a): a is ApiDefinition => a.name === apiName);
  const codec = api?.versions[version];
  assert.ok(fixture && codec, `${id} / ${apiName} v${version}`);
  const decoder = new Decoder(readFixture(fixture));
  return fixture.kind === 'request' ? codec.decodeRequest(decoder) : codec.decodeResponse(decoder);
}

test('Produce v3 request: acks, timeout, and a v2 record batch left opaque', () => {
  const request = decode('produce/v3_request.json', 'Produce', 3) as ProduceRequest;
  assert.equal(request.transactionalId, null);
  assert.equal(request.acks, -1);
  assert.equal(request.timeoutMs, 30000);
  const records = request.topics[0]?.partitions[0]?.records;
  assert.ok(records);
  assert.equal(records[16], 2, 'RecordBatch magic byte');
});

test('Fetch v11 request: read_committed, no session, rack id last', () => {
  const request = decode('fetch/v11_request.json', 'Fetch', 11) as FetchRequest;
  assert.equal(request.replicaId, -1);
  assert.equal(request.maxWaitMs, 100);
  assert.equal(request.isolationLevel, 1);
  assert.equal(request.sessionEpoch, -1);
  assert.equal(request.rackId, 'rack1');
  assert.deepEqual(request.topics[0]?.partitions[0], {
    partition: 0,
    currentLeaderEpoch: -1,
    fetchOffset: 0n,
    logStartOffset: -1n,
    partitionMaxBytes: 1048576,
  });
});

test('Metadata v5 response: brokers, cluster id and controller', () => {
  const response = decode('metadata/v5_response.json', 'Metadata', 5) as MetadataResponse;
  assert.deepEqual(
    response.brokers.map((b) => b.port),
    [9098, 9095, 9092],
  );
  assert.equal(response.clusterId, 'wyOEk0m7Tn-08oGZjtVgEg');
  assert.equal(response.controllerId, 2);
});

test('JoinGroup v5 request: both timeouts and the static member id', () => {
  const request = decode('joinGroup/v5_request.json', 'JoinGroup', 5) as JoinGroupRequest;
  assert.equal(request.sessionTimeoutMs, 30000);
  assert.equal(request.rebalanceTimeoutMs, 60000);
  assert.equal(request.memberId, '');
  assert.equal(request.groupInstanceId, 'group-instance-id');
  assert.equal(request.protocolType, 'consumer');
});
