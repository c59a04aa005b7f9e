import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createElection,
  JSON_SCHEMAS,
  RECORD_KEYS,
  type RecordKind,
  serializeVoteEvent,
  VOTE_FIELDS,
  VoterSchema,
  VoteSchema,
} from './index.ts';
import { validateJsonSchema } from './test-support/json-schema.ts';

const election = createElection({ scenario: 'small', seed: 11 });
const presidential = createElection({ scenario: 'presidential', seed: 11, overrides: { voters: 2_000 } });

function assertAllValid(kind: RecordKind, records: readonly unknown[]): void {
  assert.ok(records.length > 0, `no ${kind} records to check`);
  for (const record of records) {
    assert.deepEqual(validateJsonSchema(JSON_SCHEMAS[kind], record), [], `${kind} ${JSON.stringify(record)}`);
  }
}

describe('JSON schemas', () => {
  test('validate every generated reference record', () => {
    for (const e of [election, presidential]) {
      assertAllValid('region', e.regions);
      assertAllValid('constituency', e.constituencies);
      assertAllValid('polling_station', e.pollingStations);
      assertAllValid('party', e.parties);
      assertAllValid('candidate', e.candidates);
    }
  });

  test('validate every generated voter', () => {
    assertAllValid(
      'voter',
      [...election.voters()].map((r) => r.value),
    );
  });

  test('validate every well-formed vote, and reject every malformed record', () => {
    let malformed = 0;
    for (const event of election.votes()) {
      const { value } = serializeVoteEvent(event);
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      const errors = parsed === undefined ? ['not JSON'] : validateJsonSchema(JSON_SCHEMAS.vote, parsed);
      if (event.kind === 'vote') assert.deepEqual(errors, [], value);
      else {
        malformed++;
        assert.notDeepEqual(errors, [], `malformed record passed the schema: ${value}`);
        assert.equal(VoteSchema.safeParse(parsed).success, false);
      }
    }
    assert.ok(malformed > 0);
  });

  test('are draft-07 and titled', () => {
    for (const [kind, schema] of Object.entries(JSON_SCHEMAS)) {
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(schema.title, kind);
      assert.equal(schema.additionalProperties, false);
    }
  });
});

describe('ballot secrecy', () => {
  const personal = ['name', 'date_of_birth', 'gender', 'education', 'income_band', 'registered_at'];

  test('the vote schema has exactly the six non-personal fields', () => {
    const properties = Object.keys(JSON_SCHEMAS.vote.properties as object).sort();
    for (const field of personal) assert.ok(!properties.includes(field), field);
    assert.deepEqual(properties, [...VOTE_FIELDS].sort());
    assert.deepEqual(Object.keys(VoteSchema.shape).sort(), [...VOTE_FIELDS].sort());
  });

  test('the vote schema rejects a vote that carries a personal field', () => {
    const [first] = election.votes();
    assert.ok(first?.kind === 'vote');
    assert.equal(VoteSchema.safeParse({ ...first.value, name: 'Jane Doe' }).success, false);
  });

  test('no vote record carries a personal field or a voter name', () => {
    const names = new Set([...election.voters()].map((v) => v.value.name));
    for (const event of election.votes()) {
      const { value } = serializeVoteEvent(event);
      for (const field of personal) assert.ok(!value.includes(`"${field}"`), `${field} in ${value}`);
      if (event.kind === 'vote') {
        assert.deepEqual(Object.keys(event.value), [...VOTE_FIELDS]);
        assert.ok(!names.has(event.value.voter_id));
      }
    }
  });

  test('personal fields are on the voter schema', () => {
    for (const field of personal) assert.ok(Object.hasOwn(VoterSchema.shape, field), field);
  });
});

describe('keys', () => {
  test('every record is keyed by the field RECORD_KEYS names', () => {
    for (const { key, value } of election.candidateRecords()) assert.equal(key, value[RECORD_KEYS.candidates]);
    for (const { key, value } of election.voters(0, 500)) assert.equal(key, value[RECORD_KEYS.voters]);
    for (const event of election.votes()) {
      if (event.kind === 'vote') assert.equal(event.key, event.value[RECORD_KEYS.votes]);
    }
  });

  test('votes and voters are both keyed by voter_id, so they co-partition', () => {
    assert.equal(RECORD_KEYS.votes, 'voter_id');
    assert.equal(RECORD_KEYS.voters, 'voter_id');
  });
});
