import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateProtocols, selectProtocol, sharesCandidate } from './assignment-protocol.ts';

const member = (...names: string[]) => ({ protocolNames: () => names });

test('candidates are the protocols every member supports', () => {
  assert.deepEqual(candidateProtocols([member('range', 'roundrobin'), member('roundrobin', 'sticky')]), ['roundrobin']);
  assert.deepEqual(candidateProtocols([]), []);
});

test('each member votes for its first candidate; the majority wins', () => {
  const members = [member('range', 'roundrobin'), member('roundrobin', 'range'), member('roundrobin', 'range')];
  assert.equal(selectProtocol(members), 'roundrobin');
});

test('a tie goes to the first member’s preference', () => {
  assert.equal(selectProtocol([member('range', 'roundrobin'), member('roundrobin', 'range')]), 'range');
});

test('kafkajs and librdkafka assignors share no candidate', () => {
  assert.equal(sharesCandidate([member('range', 'roundrobin')], ['RoundRobinAssigner']), false);
  assert.equal(sharesCandidate([], ['RoundRobinAssigner']), true);
  assert.equal(sharesCandidate([], []), false);
});
