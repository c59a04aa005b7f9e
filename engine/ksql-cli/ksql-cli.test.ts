import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../config/index.ts';
import { temporaryDir, until } from '../../test/support/index.ts';
import { startTestKsqlServer } from '../../test/support/ksql.ts';
import { KsqlClient } from '../client/ksql-client.ts';
import { type KsqlCliArgs, runKsqlCli } from './cli.ts';
import { formatListing, formatRow, formatRowHeader } from './table.ts';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
const { server } = await startTestKsqlServer();
const serverUrl = server.url;
const client = new KsqlClient({ url: serverUrl });
await client.execute(
  `CREATE STREAM votes (voter STRING KEY, candidate STRING) WITH (kafka_topic='cli_votes', value_format='JSON', partitions=1);
   CREATE TABLE per_candidate AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;`,
);
await client.execute(
  "INSERT INTO votes (voter, candidate) VALUES ('v1', 'a'); INSERT INTO votes (voter, candidate) VALUES ('v2', 'a');",
);
await until(async () => {
  const { rows } = await client.query("SELECT n FROM per_candidate WHERE candidate = 'a';");
  return rows[0]?.[0] === 2;
}, 'the count of a to reach 2');

/** Runs the CLI in this process with -e or -f; what it printed and its exit status. */
async function runCli(args: Partial<KsqlCliArgs>): Promise<{ status: number; out: string; err: string }> {
  const [output, error] = [new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  output.on('data', (chunk) => {
    out += chunk;
  });
  error.on('data', (chunk) => {
    err += chunk;
  });
  const status = await runKsqlCli(
    { server: serverUrl, output: 'TABULAR', ...args },
    { input: new PassThrough(), output, error },
  );
  return { status, out, err };
}

test('-e runs statements and prints them as the ksqlDB CLI does, in TABULAR and JSON', async () => {
  const shown = await runCli({ execute: 'SHOW STREAMS;' });
  assert.equal(shown.status, 0, shown.err);
  assert.match(shown.out, /^\n Stream Name +\| Kafka Topic +\| Key Format \| Value Format \| Windowed \n-+\n/);
  assert.match(shown.out, / VOTES +\| cli_votes +\| KAFKA +\| JSON +\| false +\n/);

  const described = await runCli({ execute: 'DESCRIBE per_candidate;' });
  assert.equal(described.status, 0, described.err);
  assert.match(
    described.out,
    /Name +: PER_CANDIDATE\n Field +\| Type +\n-+\n CANDIDATE \| VARCHAR\(STRING\) +\(primary key\) \n N +\| BIGINT +\n/,
  );
  assert.match(described.out, /For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;/);

  const pulled = await runCli({ execute: "SELECT * FROM per_candidate WHERE candidate = 'a';" });
  assert.equal(pulled.status, 0, pulled.err);
  assert.equal(
    pulled.out,
    `${formatRowHeader(['CANDIDATE', 'N'], 80)}\n${formatRow(['a', 2], 80)}\nQuery terminated\n`,
  );

  const json = await runCli({ execute: 'SHOW TABLES;', output: 'JSON' });
  assert.equal(json.status, 0, json.err);
  const entities = JSON.parse(json.out);
  assert.equal(entities[0]['@type'], 'tables');
  assert.deepEqual(
    entities[0].tables.map((t: { name: string }) => t.name),
    ['PER_CANDIDATE'],
  );

  const jsonRows = await runCli({ execute: "SELECT * FROM per_candidate WHERE candidate = 'a';", output: 'JSON' });
  assert.match(jsonRows.out, /"schema": "`CANDIDATE` STRING, `N` BIGINT"/);
  assert.match(jsonRows.out, /"columns": \[\n\s+"a",\n\s+2\n\s+\]/);
});

test('-f runs a file, with --define variables and DEFINE, and stops at the first error with status 1', async () => {
  const dir = temporaryDir('tally-cli-');
  const good = path.join(dir, 'good.sql');
  fs.writeFileSync(
    good,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
    "-- a script\nDEFINE name = 'cli_extra';\nCREATE STREAM ${name} (x STRING) WITH (kafka_topic='${topic}', value_format='JSON', partitions=1);\nSHOW VARIABLES;\n",
  );
  const ran = await runCli({ file: good, define: ['topic=cli_extra_topic'] });
  assert.equal(ran.status, 0, ran.err);
  assert.match(ran.out, / Message +\n-+\n Stream created +\n/);
  assert.match(ran.out, / Variable Name \| Value +\n-+\n TOPIC +\| cli_extra_topic \n NAME +\| cli_extra +\n/);
  const [described] = await client.execute('DESCRIBE cli_extra;');
  assert.equal(described?.sourceDescription.topic, 'cli_extra_topic');

  const bad = path.join(dir, 'bad.sql');
  fs.writeFileSync(
    bad,
    "DESCRIBE nowhere;\nCREATE STREAM never (x STRING) WITH (kafka_topic='never', value_format='JSON', partitions=1);\n",
  );
  const failed = await runCli({ file: bad });
  assert.equal(failed.status, 1);
  assert.match(failed.err, /NOWHERE/);
  assert.ok(!(await client.execute('SHOW STREAMS;'))[0]?.streams.some((s: { name: string }) => s.name === 'NEVER'));

  const missing = await runCli({ file: path.join(dir, 'missing.sql') });
  assert.equal(missing.status, 1);
  assert.match(missing.err, /Failed to read file: .*missing\.sql \(ENOENT\)/);

  const unreachable = await runKsqlCli(
    { server: 'http://127.0.0.1:1', output: 'TABULAR', execute: 'SHOW STREAMS;' },
    { input: new PassThrough(), output: new PassThrough(), error: new PassThrough() },
  );
  assert.equal(unreachable, 1);
});

/** A spawned `tally ksql` with its stdin and stdout as pipes. */
function spawnCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('engine', 'ksql-cli', 'main.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOME: temporaryDir('tally-cli-home-') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { out: '', err: '' };
  child.stdout.on('data', (chunk) => {
    output.out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output.err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Waits for `pattern` in stdout after `from`; returns where the match ends. */
  const waitFor = async (pattern: RegExp, from: number, what: string): Promise<number> => {
    let end = -1;
    await until(
      () => {
        const match = pattern.exec(output.out.slice(from));
        if (match) end = from + match.index + match[0].length;
        return match !== null;
      },
      `${what} (stdout so far: ${JSON.stringify(output.out.slice(from))}, stderr: ${JSON.stringify(output.err)})`,
      60_000,
    );
    return end;
  };
  return { child, output, exited, waitFor };
}

test('a spawned `tally ksql -e` exits with status 1 when a statement fails, 0 otherwise', async () => {
  const failing = spawnCli([serverUrl, '-e', 'DROP STREAM nowhere;']);
  assert.equal(await failing.exited, 1);
  assert.match(failing.output.err, /NOWHERE/);
  const passing = spawnCli([serverUrl, '--output', 'JSON', '-e', 'LIST STREAMS;']);
  assert.equal(await passing.exited, 0, passing.output.err);
  assert.equal(JSON.parse(passing.output.out)[0]['@type'], 'streams');
});

test('the REPL over pipes: banner, SHOW STREAMS over two lines, a pull query, a push query stopped by Ctrl-C, exit', async () => {
  const { child, output, exited, waitFor } = spawnCli([serverUrl]);
  let at = await waitFor(
    /CLI v8\.0\.0, Server v[\d.]+ located at http:\/\/127\.0\.0\.1:\d+\nServer Status: RUNNING\n/,
    0,
    'the banner',
  );
  at = await waitFor(/ksql> $/, at, 'the prompt');

  child.stdin.write('SHOW\n');
  at = await waitFor(/> $/, at, 'the continuation prompt');
  child.stdin.write('STREAMS;\n');
  at = await waitFor(
    / Stream Name +\| Kafka Topic[^\n]*\n-+\n(?:[^\n]*\n)* VOTES +\| cli_votes [^\n]*\n-+\nksql> $/,
    at,
    'the streams',
  );

  child.stdin.write("SELECT * FROM per_candidate WHERE candidate = 'a';\n");
  at = await waitFor(
    /\|CANDIDATE +\|N +\|\n\+-+\+-+\+\n\|a +\|2 +\|\nQuery terminated\nksql> $/,
    at,
    'the pull query rows',
  );

  child.stdin.write('SELECT voter, candidate FROM votes EMIT CHANGES;\n');
  at = await waitFor(/\|VOTER +\|CANDIDATE +\|\n\+-+\+-+\+\n/, at, 'the push query header');
  await client.execute("INSERT INTO votes (voter, candidate) VALUES ('v3', 'b');");
  at = await waitFor(/\|v3 +\|b +\|\n/, at, 'the pushed row');
  child.kill('SIGINT');
  at = await waitFor(/Query terminated\nksql> $/, at, 'the query to end on Ctrl-C');
  assert.equal(child.exitCode, null, 'Ctrl-C during a query returns to the prompt');

  child.stdin.write('DESCRIBE nowhere;\n');
  await until(() => /NOWHERE/.test(output.err), 'the error on stderr');
  at = await waitFor(/ksql> $/, at, 'the prompt after an error');
  child.stdin.write('exit\n');
  assert.equal(await exited, 0);
});

test('TABULAR layouts: listings padded to the widest cell, query rows in fixed cells that wrap', () => {
  assert.equal(
    formatListing({ headers: ['Message'], rows: [['Stream created']] }, 80),
    ' Message        \n----------------\n Stream created \n----------------',
  );
  assert.equal(formatRowHeader(['A', 'B'], 20), '+--------+--------+\n|A       |B       |\n+--------+--------+');
  assert.equal(formatRow(['0123456789', null], 20), '|01234567|null    |\n|89      |        |');
  assert.equal(formatRow([[1, 2], { K: 'v' }], 20), '|[1, 2]  |{K=v}   |');
});

test('EXPLAIN prints the query as the ksqlDB CLI does: id, SQL, fields, sources, sinks, plan and topology', async () => {
  const explained = await runCli({ execute: 'EXPLAIN CTAS_PER_CANDIDATE_0;' });
  assert.equal(explained.status, 0, explained.err);
  const out = explained.out;
  assert.match(
    out,
    /^\nID {19}: CTAS_PER_CANDIDATE_0\nQuery Type {11}: PERSISTENT\nSQL {18}: CREATE TABLE per_candidate AS SELECT candidate, COUNT\(\*\) AS n FROM votes GROUP BY candidate;\nHost Query Status {4}: \{127\.0\.0\.1:\d+=RUNNING\}\n\n/,
  );
  assert.match(out, /\n Field +\| Type +\n-+\n CANDIDATE \| VARCHAR\(STRING\) {2}\(key\) \n N +\| BIGINT +\n-+\n/);
  assert.match(
    out,
    /\nSources that this query reads from: \n-{35}\nVOTES\n\nFor source description please run: DESCRIBE \[EXTENDED\] <SourceId>\n/,
  );
  assert.match(
    out,
    /\nSinks that this query writes to: \n-{35}\nPER_CANDIDATE\n\nFor sink description please run: DESCRIBE \[EXTENDED\] <SinkId>\n/,
  );
  assert.match(out, /\nExecution plan\n-{14}\n > \[ SINK \] \| Schema: CANDIDATE STRING KEY, N BIGINT \| Logger: /);
  assert.match(
    out,
    /\nProcessing topology\n-{19}\nTopologies:\n {3}Sub-topology: 0\n {4}Source: \S+ \(topics: \[cli_votes\]\)\n/,
  );

  const pushed = await runCli({ execute: 'EXPLAIN SELECT voter FROM votes EMIT CHANGES;' });
  assert.equal(pushed.status, 0, pushed.err);
  assert.match(
    pushed.out,
    /^\nID {19}: transient_VOTES_\w+\nQuery Type {11}: PUSH\nSQL {18}: SELECT voter FROM votes EMIT CHANGES;\n\n Field \| Type +\n-+\n VOTER \| VARCHAR\(STRING\) \n-+\n\nSources that this query reads from: /,
  );
  assert.doesNotMatch(pushed.out, /Host Query Status|Sinks that this query writes to/);

  const missing = await runCli({ execute: 'EXPLAIN NOPE_0;' });
  assert.equal(missing.status, 1);
  assert.match(missing.err, /Query with id:NOPE_0 does not exist/);
});

test('SHOW FUNCTIONS, DESCRIBE FUNCTION and SHOW TYPES print as the ksqlDB CLI does', async () => {
  const functions = await runCli({ execute: 'SHOW FUNCTIONS;' });
  assert.equal(functions.status, 0, functions.err);
  assert.match(functions.out, /^\n Function Name +\| Category +\n-+\n/);
  // Grouped by category, a blank row between groups; the footer of the real CLI.
  assert.match(functions.out, / COUNT +\| AGGREGATE +\n/);
  assert.match(functions.out, /\n +\| +\n/);
  assert.match(functions.out, /For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;/);

  const described = await runCli({ execute: 'DESCRIBE FUNCTION ucase;' });
  assert.equal(described.status, 0, described.err);
  assert.match(described.out, /^\nName {8}: UCASE\n(?:.*\n)*Type {8}: SCALAR\nJar {9}: internal\nVariations {2}: \n/);

  await client.execute('CREATE TYPE cli_point AS STRUCT<x INT, y INT>;');
  const types = await runCli({ execute: 'SHOW TYPES;' });
  assert.equal(types.status, 0, types.err);
  assert.match(types.out, / Type Name +\| Schema +\n-+\n CLI_POINT +\| STRUCT<X INTEGER, Y INTEGER> +\n/);
});

test('RUN SCRIPT runs a file statement by statement; a missing file is a clear error', async () => {
  const dir = temporaryDir('tally-cli-script-');
  const script = path.join(dir, 'script.sql');
  fs.writeFileSync(
    script,
    "CREATE STREAM script_stream (x STRING) WITH (kafka_topic='cli_script', value_format='JSON', partitions=1);\nSHOW STREAMS;\n",
  );
  const ran = await runCli({ execute: `RUN SCRIPT '${script}';` });
  assert.equal(ran.status, 0, ran.err);
  assert.match(ran.out, / Message +\n-+\n Stream created +\n/);
  assert.match(ran.out, / SCRIPT_STREAM +\| cli_script +\| KAFKA +\| JSON +\| false +\n/);

  const missing = await runCli({ execute: `RUN SCRIPT '${path.join(dir, 'nowhere.sql')}';` });
  assert.equal(missing.status, 1);
  assert.match(missing.err, /Failed to read file: .*nowhere\.sql \(ENOENT\)/);
});

test('in a pseudo-terminal: SET auto.offset.reset earliest reads a push query from the start, UNSET from latest, history saved', async () => {
  const home = temporaryDir('tally-cli-pty-');
  const command = [process.execPath, '--import', 'tsx', path.join('engine', 'ksql-cli', 'main.ts'), serverUrl]
    .map((part) => `'${part.replace(/'/g, "'\\''")}'`)
    .join(' ');
  // util-linux `script` gives the CLI a real pseudo-terminal (readline in terminal mode, as for a person).
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOME: home, TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let raw = '';
  child.stdout.on('data', (chunk) => {
    raw += chunk;
  });
  child.stderr.on('data', (chunk) => {
    raw += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // What the terminal shows, without carriage returns and escape sequences.
  const escapes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
  const screen = () => raw.replace(escapes, '').replace(/\r/g, '');
  let at = 0;
  const waitFor = async (pattern: RegExp, what: string) => {
    await until(
      () => {
        const match = pattern.exec(screen().slice(at));
        if (match) at += match.index + match[0].length;
        return match !== null;
      },
      `${what} (screen so far: ${JSON.stringify(screen().slice(at))})`,
      60_000,
    );
  };
  const type = (line: string) => child.stdin.write(`${line}\r`);

  await waitFor(/ksql> /, 'the prompt');
  type("SET 'auto.offset.reset'='earliest';");
  await waitFor(
    /Successfully changed local property 'auto\.offset\.reset' to 'earliest'\. Use the UNSET command to revert your change\.\n/,
    'the SET message',
  );
  type('SELECT voter, candidate FROM votes EMIT CHANGES LIMIT 2;');
  await waitFor(/\|v1 +\|a +\|\n\|v2 +\|a +\|\n/, 'the first two rows, from the start');
  await waitFor(/ksql> /, 'the prompt after LIMIT');

  type("UNSET 'auto.offset.reset';");
  await waitFor(/Successfully unset local property 'auto\.offset\.reset' \(value was 'earliest'\)\.\n/, 'the UNSET');
  type("SELECT voter FROM votes WHERE voter LIKE 'pty%' EMIT CHANGES LIMIT 1;");
  await waitFor(/\|VOTER +\|\n\+-+\+\n/, 'the push query header');
  await client.execute("INSERT INTO votes (voter, candidate) VALUES ('pty1', 'c');");
  await waitFor(/\|pty1 +\|\n/, 'the row inserted after the query started');
  await waitFor(/ksql> /, 'the prompt after the latest query');
  type('exit');
  assert.equal(await exited, 0, screen());

  const history = fs.readFileSync(path.join(home, '.ksql-history'), 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(history.slice(0, 4), [
    "SET 'auto.offset.reset'='earliest';",
    'SELECT voter, candidate FROM votes EMIT CHANGES LIMIT 2;',
    "UNSET 'auto.offset.reset';",
    "SELECT voter FROM votes WHERE voter LIKE 'pty%' EMIT CHANGES LIMIT 1;",
  ]);
});
