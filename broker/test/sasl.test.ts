// SASL/PLAIN: clients with the right credentials work; others are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestBroker } from '../../test/support/broker.ts';
import { kafkajs, kcat } from './clients.ts';

describe('the broker with SASL/PLAIN', async () => {
  const { address } = await startTestBroker({ saslUsers: { tally: 'election-night' } });

  it('serves kafkajs and kcat with the right password', async () => {
    const kafka = kafkajs(address, { sasl: { mechanism: 'plain', username: 'tally', password: 'election-night' } });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'secure', messages: [{ value: 'hello' }] });
    await producer.disconnect();
    const read = await kcat([
      '-b',
      address,
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=tally',
      '-X',
      'sasl.password=election-night',
      '-C',
      '-t',
      'secure',
      '-o',
      'beginning',
      '-e',
      '-q',
    ]);
    assert.equal(read.trim(), 'hello');
  });

  it('refuses a wrong password, and a client that does not authenticate', async () => {
    const wrong = kafkajs(address, {
      sasl: { mechanism: 'plain', username: 'tally', password: 'guess' },
      retry: { retries: 0 },
    });
    const producer = wrong.producer();
    await assert.rejects(producer.connect(), /SASL PLAIN authentication failed|Authentication failed/i);

    const anonymous = kafkajs(address, { retry: { retries: 0 }, connectionTimeout: 1000, requestTimeout: 2000 });
    const admin = anonymous.admin();
    await assert.rejects(admin.connect().then(() => admin.listTopics()));
    await admin.disconnect();
  });
});
