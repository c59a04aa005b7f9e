/**
 * Golden tests: every kafkajs-captured body of an API and version we serve must
 * decode and re-encode to the identical bytes, on both sides (request and
 * response). Fixtures we cannot serve are listed below with the reason; a new
 * fixture that is neither served nor listed fails the run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Fixture, listFixtures, readFixture } from './fixtures.ts';
import { APIS, type ApiDefinition } from './index.ts';
import { Decoder } from './wire/decoder.ts';
import { Encoder } from './wire/encoder.ts';

/** Fixture folders of APIs that Tally's broker does not serve. */
const UNSERVED_APIS: Record<string, string> = {
  alterConfigs: 'AlterConfigs (33) is not served: topic configs are fixed at creation',
  alterPartitionReassignments:
    'AlterPartitionReassignments (45) is not served: single-node broker, nothing to reassign',
  createAcls: 'CreateAcls (30) is not served: no ACLs',
  deleteAcls: 'DeleteAcls (31) is not served: no ACLs',
  describeAcls: 'DescribeAcls (29) is not served: no ACLs',
  listPartitionReassignments: 'ListPartitionReassignments (46) is not served: single-node broker',
};

/** Files that are not an API body at all. */
const NOT_API_BODIES: Record<string, string> = {
  'describeGroups/v1_memberAssignment.json':
    'consumer-protocol MemberAssignment, carried inside the member_assignment bytes',
  'describeGroups/v1_memberMetadata.json': 'consumer-protocol subscription, carried inside the member_metadata bytes',
  'joinGroup/v1_assignerMetadata.json': 'consumer-protocol subscription, carried inside a protocol metadata',
  'joinGroup/v2_assignerMetadata.json': 'consumer-protocol subscription, carried inside a protocol metadata',
  'syncGroup/v1_memberAssignment.json': 'consumer-protocol MemberAssignment, carried inside the assignment bytes',
  'saslAuthenticate/plain_bytes.json': 'SASL/PLAIN mechanism payload (goes inside auth_bytes)',
  'saslAuthenticate/scram256_bytes.json': 'SCRAM-SHA-256 mechanism payload (goes inside auth_bytes)',
  'saslAuthenticate/scram256_firstRequest_response.json': 'SCRAM server-first message, a mechanism payload',
  'saslAuthenticate/scram256_firstRequest_response_v1.json': 'SCRAM server-first message, a mechanism payload',
};

/**
 * Bodies a client must read but that no correct encoder writes: they decode,
 * and re-encode to `expected(original)`.
 */
const DECODE_ONLY: Record<string, { reason: string; expected: (original: Buffer) => Buffer }> = {
  'apiVersions/v1_response_missing_throttle_time.json': {
    reason: 'a broker omitted throttle_time_ms (kafkajs#491); clients read it as 0, we write it',
    expected: (original) => Buffer.concat([original, Buffer.alloc(4)]),
  },
};

const apiByFolder = new Map<string, ApiDefinition>(
  APIS.map((api) => [api.name.charAt(0).toLowerCase() + api.name.slice(1), api]),
);

type Classification =
  | { served: true; api: ApiDefinition; version: number; kind: 'request' | 'response' }
  | { served: false; reason: string };

function classify(fixture: Fixture): Classification {
  const notBody = NOT_API_BODIES[fixture.id];
  if (notBody !== undefined) return { served: false, reason: notBody };
  const unserved = UNSERVED_APIS[fixture.api];
  if (unserved !== undefined) return { served: false, reason: unserved };
  const api = apiByFolder.get(fixture.api);
  if (api === undefined)
    return { served: false, reason: `no API named ${fixture.api} is served or listed as unserved` };
  if (fixture.version === null || fixture.kind === null) {
    return { served: false, reason: 'name is neither v<N>_request* nor v<N>_response*' };
  }
  if (api.versions[fixture.version] === undefined) {
    return {
      served: false,
      reason: `${api.name} v${fixture.version} is outside the served ${api.minVersion}-${api.maxVersion}`,
    };
  }
  return { served: true, api, version: fixture.version, kind: fixture.kind };
}

function roundTrip(api: ApiDefinition, version: number, kind: 'request' | 'response', bytes: Buffer): Buffer {
  const codec = api.versions[version];
  assert.ok(codec, `${api.name} v${version} has no codec`);
  const decoder = new Decoder(bytes);
  const encoder = new Encoder();
  if (kind === 'request') {
    const request = codec.decodeRequest(decoder);
    decoder.assertFullyConsumed(`${api.name} v${version} request`);
    codec.encodeRequest(encoder, request);
  } else {
    const response = codec.decodeResponse(decoder);
    decoder.assertFullyConsumed(`${api.name} v${version} response`);
    codec.encodeResponse(encoder, response);
  }
  return encoder.toBuffer();
}

const fixtures = listFixtures();

describe('kafkajs golden vectors', () => {
  test('the fixture folder is there and not empty', () => {
    assert.ok(fixtures.length > 100, `expected the kafkajs fixtures, found ${fixtures.length}`);
  });

  for (const fixture of fixtures) {
    const classification = classify(fixture);
    if (!classification.served) continue;
    const { api, version, kind } = classification;
    test(`${fixture.id}: ${api.name} v${version} ${kind} re-encodes to the same bytes`, () => {
      const original = readFixture(fixture);
      const decodeOnly = DECODE_ONLY[fixture.id];
      const expected = decodeOnly ? decodeOnly.expected(original) : original;
      assert.deepEqual(roundTrip(api, version, kind, original), expected);
    });
  }

  test('every fixture not served is accounted for', () => {
    const unserved = fixtures
      .map((fixture) => ({ fixture, classification: classify(fixture) }))
      .filter(
        (entry): entry is { fixture: Fixture; classification: { served: false; reason: string } } =>
          !entry.classification.served,
      );
    const unexplained = unserved.filter(({ classification }) => classification.reason.startsWith('no API named'));
    assert.deepEqual(
      unexplained.map(({ fixture }) => fixture.id),
      [],
      'fixtures of APIs neither served nor listed in UNSERVED_APIS',
    );
    // The exact list, so that a change of served ranges or fixtures is visible in review.
    assert.deepEqual(unserved.map(({ fixture }) => fixture.id).sort(), [...EXPECTED_UNSERVED].sort());
  });
});

/** Fixtures not round-tripped, by reason: unserved API, version outside our range, or not an API body. */
const EXPECTED_UNSERVED: readonly string[] = [
  'alterConfigs/v0_request.json',
  'alterConfigs/v0_response.json',
  'alterPartitionReassignments/v0_request.json',
  'alterPartitionReassignments/v0_response.json',
  'alterPartitionReassignments/v0_response_error.json',
  'createAcls/v0_request.json',
  'createAcls/v0_response.json',
  'createAcls/v1_request.json',
  'createAcls/v1_response.json',
  'deleteAcls/v0_request.json',
  'deleteAcls/v0_response.json',
  'deleteAcls/v1_request.json',
  'deleteAcls/v1_response.json',
  'describeAcls/v0_request.json',
  'describeAcls/v0_response.json',
  'describeAcls/v1_request.json',
  'describeAcls/v1_response.json',
  'describeGroups/v1_memberAssignment.json',
  'describeGroups/v1_memberMetadata.json',
  'fetch/v0_request.json',
  'fetch/v0_response.json',
  'fetch/v0_response_gzip.json',
  'fetch/v1_request.json',
  'fetch/v1_response.json',
  'fetch/v1_response_gzip.json',
  'fetch/v2_request.json',
  'fetch/v2_response.json',
  'fetch/v2_response_gzip.json',
  'fetch/v2_response_index_out_of_range.json',
  'fetch/v2_response_partial_messages_many_partitions.json',
  'fetch/v3_request.json',
  'fetch/v3_response.json',
  'fetch/v3_response_gzip.json',
  'joinGroup/v1_assignerMetadata.json',
  'joinGroup/v2_assignerMetadata.json',
  'listOffsets/v0_request.json',
  'listOffsets/v0_response.json',
  'listPartitionReassignments/v0_request.json',
  'listPartitionReassignments/v0_response.json',
  'offsetCommit/v0_request.json',
  'offsetCommit/v0_request_metadata.json',
  'offsetCommit/v0_response.json',
  'offsetCommit/v1_request.json',
  'offsetCommit/v1_request_metadata.json',
  'offsetCommit/v1_response.json',
  'produce/v2_request.json',
  'produce/v2_request_gzip_darwin.json',
  'produce/v2_request_gzip_linux.json',
  'produce/v2_response.json',
  'produce/v2_response_gzip.json',
  'saslAuthenticate/plain_bytes.json',
  'saslAuthenticate/scram256_bytes.json',
  'saslAuthenticate/scram256_firstRequest_response.json',
  'saslAuthenticate/scram256_firstRequest_response_v1.json',
  'syncGroup/v1_memberAssignment.json',
];
