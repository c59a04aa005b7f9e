// Which services the supervisor runs on each stack: all of them on the
// embedded stack; beside the docker stack's containers, the dashboard (after
// which the pipeline is set up, as on the embedded stack) and the election.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { dockerStackServices, embeddedServices } from './embedded.ts';

describe('the supervised services', () => {
  it('are every service of the embedded stack, the election last', () => {
    const config = loadConfig({ env: { TALLY_ELECTION: 'true' } });
    assert.deepEqual(
      embeddedServices(config).map((s) => s.name),
      ['postgres', 'kafka', 'schema-registry', 'connect', 'dashboard', 'ksqldb', 'election'],
    );
  });

  it('are the dashboard and the election beside the docker stack, the pipeline set up once the dashboard answers', () => {
    const withElection = dockerStackServices(loadConfig({ env: { TALLY_STACK: 'docker', TALLY_ELECTION: 'true' } }));
    assert.deepEqual(
      withElection.map((s) => s.name),
      ['dashboard', 'election'],
    );
    assert.equal(typeof withElection[0]?.afterReady, 'function');
    const without = dockerStackServices(loadConfig({ env: { TALLY_STACK: 'docker', TALLY_ELECTION: 'false' } }));
    assert.deepEqual(
      without.map((s) => s.name),
      ['dashboard'],
    );
  });
});
