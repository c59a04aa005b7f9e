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

  it('include a ksqlDB server per TALLY_KSQLDB_NODES, each on its own port and state, the first setting up the pipeline', () => {
    const config = loadConfig({
      env: { TALLY_KSQLDB_NODES: '3', TALLY_KSQLDB_PORT: '18088', TALLY_DATA_DIR: '/tmp/t' },
    });
    const ksqldb = embeddedServices(config).filter((s) => s.name.startsWith('ksqldb'));
    assert.deepEqual(
      ksqldb.map((s) => [s.name, s.port, s.process?.().args]),
      [
        ['ksqldb', 18088, ['ksql-server', '--node', '1']],
        ['ksqldb-2', 18089, ['ksql-server', '--node', '2']],
        ['ksqldb-3', 18090, ['ksql-server', '--node', '3']],
      ],
    );
    assert.deepEqual(
      ksqldb.map((s) => typeof s.afterReady),
      ['function', 'undefined', 'undefined'],
    );
    assert.throws(() => loadConfig({ env: { TALLY_KSQLDB_NODES: '0' } }), /TALLY_KSQLDB_NODES.*from 1 to 8/);
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
