import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import yargs from 'yargs';
import { temporaryDir, until } from '../../test/support/index.ts';
import { startTestKsqlServer } from '../../test/support/ksql.ts';
import { KsqlClient } from '../client/ksql-client.ts';
import { migrateCommand } from './cli.ts';
import {
  apply,
  createMigration,
  destroyMetadata,
  info,
  initializeMetadata,
  type MigrationOutput,
  newProject,
  validate,
} from './commands.ts';
import { splitMigration, toMigrationCommand } from './commands-parser.ts';
import { parseProperties } from './properties.ts';

const { server } = await startTestKsqlServer();
const client = new KsqlClient({ url: server.url });

/** Collects what a command prints. */
function capture(): MigrationOutput & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
    text: () => lines.join('\n'),
  };
}

const fast = { verifyBackoffMs: 100, verifyRetries: 100 };

async function versionRow(key: string): Promise<Record<string, unknown> | undefined> {
  const result = await client.query(`SELECT * FROM MIGRATION_SCHEMA_VERSIONS WHERE VERSION_KEY = '${key}';`);
  const row = result.rows[0];
  return row && Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]]));
}

async function untilState(key: string, version: string, state: string): Promise<Record<string, unknown>> {
  let row: Record<string, unknown> | undefined;
  await until(async () => {
    row = await versionRow(key);
    return row?.VERSION === version && row?.STATE === state;
  }, `${key} at version ${version} ${state}`);
  return row as Record<string, unknown>;
}

async function sourceNames(kind: 'STREAMS' | 'TABLES'): Promise<string[]> {
  const [entity] = await client.execute(`SHOW ${kind};`);
  return ((entity?.streams ?? entity?.tables ?? []) as { name: string }[]).map((s) => s.name);
}

test('a migrations project: new-project, initialize-metadata, create, apply, info, validate, a failing migration, destroy-metadata', async () => {
  const project = path.join(temporaryDir('tally-migrations-'), 'project');
  const out = capture();
  assert.equal(newProject(project, server.url, out), 0, out.text());
  const configFile = path.join(project, 'ksql-migrations.properties');
  const migrations = path.join(project, 'migrations');
  assert.ok(fs.statSync(migrations).isDirectory());
  assert.equal(parseProperties(fs.readFileSync(configFile, 'utf8')).get('ksql.server.url'), server.url);
  assert.equal(newProject(project, server.url, capture()), 1, 'a second new-project finds the config file there');

  // initialize-metadata: the event stream and the versions table, named and keyed as the real tool makes them.
  assert.equal(await initializeMetadata(configFile, out), 0, out.text());
  assert.ok((await sourceNames('STREAMS')).includes('MIGRATION_EVENTS'));
  assert.ok((await sourceNames('TABLES')).includes('MIGRATION_SCHEMA_VERSIONS'));
  const [described] = await client.execute('DESCRIBE MIGRATION_EVENTS;');
  assert.equal(described?.sourceDescription.topic, 'default_ksql_MIGRATION_EVENTS');

  // create: the next version, the description made a file name.
  assert.equal(await createMigration(configFile, 'create votes', undefined, out), 0, out.text());
  assert.equal(await createMigration(configFile, 'count votes', undefined, out), 0, out.text());
  assert.deepEqual(fs.readdirSync(migrations).sort(), ['V000001__create_votes.sql', 'V000002__count_votes.sql']);
  assert.equal(await createMigration(configFile, 'again', 2, capture()), 1, 'version 2 exists');
  const v1 = path.join(migrations, 'V000001__create_votes.sql');
  fs.writeFileSync(
    v1,
    "-- the votes\nCREATE STREAM votes (voter STRING KEY, candidate STRING)\n  WITH (kafka_topic='m_votes', value_format='JSON', partitions=1);\n",
  );
  fs.writeFileSync(
    path.join(migrations, 'V000002__count_votes.sql'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
    "DEFINE sink = 'per_candidate';\nCREATE TABLE ${sink} AS SELECT candidate, COUNT(*) AS n FROM votes GROUP BY candidate;\n",
  );

  // apply --all: both files, each recorded MIGRATED with its checksum.
  let applied = capture();
  assert.equal(await apply(configFile, { all: true, ...fast }, applied), 0, applied.text());
  assert.match(applied.text(), /2 migration file\(s\) loaded/);
  assert.ok((await sourceNames('STREAMS')).includes('VOTES'));
  assert.ok((await sourceNames('TABLES')).includes('PER_CANDIDATE'));
  const current = await untilState('CURRENT', '2', 'MIGRATED');
  assert.equal(current.PREVIOUS, '1');
  assert.equal(current.NAME, 'count votes');
  const first = await untilState('1', '1', 'MIGRATED');
  assert.match(String(first.CHECKSUM), /^[0-9a-f]{32}$/);
  assert.equal(first.PREVIOUS, '<none>');
  assert.equal(first.ERROR_REASON, 'N/A');

  // info: the current version and one row per file.
  const shown = capture();
  assert.equal(await info(configFile, shown), 0, shown.text());
  assert.match(shown.text(), /Current migration version: 2/);
  assert.match(shown.text(), / Version \| Name +\| State +\| Previous Version \| Started On/);
  assert.match(shown.text(), / 1 +\| create votes \| MIGRATED \| <none> +\|/);
  assert.match(shown.text(), / 2 +\| count votes +\| MIGRATED \| 1 +\|/);

  // validate: passes, then reports an applied file that changed.
  assert.equal(await validate(configFile, capture()), 0);
  const original = fs.readFileSync(v1);
  fs.appendFileSync(v1, '-- edited\n');
  const invalid = capture();
  assert.equal(await validate(configFile, invalid), 1);
  assert.match(
    invalid.text(),
    /Migrations file found for version 1 does not match the checksum saved for this version\. Expected checksum: [0-9a-f]{32}\. Actual checksum: [0-9a-f]{32}\. File name: .*V000001__create_votes\.sql/,
  );
  const refused = capture();
  assert.equal(await apply(configFile, { all: true, ...fast }, refused), 1, 'apply validates first');
  fs.writeFileSync(v1, original);

  // apply --next then --until: one file at a time.
  for (const [version, name] of [
    [3, 'more'],
    [4, 'yet more'],
  ] as const) {
    assert.equal(await createMigration(configFile, name, version, capture()), 0);
    fs.writeFileSync(
      path.join(migrations, `V00000${version}__${name.replace(' ', '_')}.sql`),
      `CREATE STREAM s${version} AS SELECT * FROM votes WHERE candidate = 'c${version}';\n`,
    );
  }
  const dry = capture();
  assert.equal(await apply(configFile, { next: true, dryRun: true, ...fast }, dry), 0, dry.text());
  assert.match(
    dry.text(),
    /This is a dry run\.[\s\S]*V000003__more\.sql contents:\nCREATE STREAM s3[\s\S]*Dry run complete/,
  );
  assert.ok(!(await sourceNames('STREAMS')).includes('S3'), 'a dry run sends nothing');
  applied = capture();
  assert.equal(await apply(configFile, { next: true, ...fast }, applied), 0, applied.text());
  await untilState('CURRENT', '3', 'MIGRATED');
  assert.ok((await sourceNames('STREAMS')).includes('S3'));
  assert.ok(!(await sourceNames('STREAMS')).includes('S4'));
  // --define: a variable for every statement, as DEFINE at the top of each file.
  fs.writeFileSync(
    path.join(migrations, 'V000004__yet_more.sql'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
    "CREATE STREAM s4 AS SELECT * FROM votes WHERE candidate = '${who}';\n",
  );
  applied = capture();
  assert.equal(await apply(configFile, { until: 4, define: ['who=c4'], ...fast }, applied), 0, applied.text());
  await untilState('CURRENT', '4', 'MIGRATED');
  assert.ok((await sourceNames('STREAMS')).includes('S4'));
  const [s4] = await client.execute('DESCRIBE s4 EXTENDED;');
  assert.match(s4?.sourceDescription.statement, /candidate = 'c4'/);

  // A failing statement: ERROR with its reason, and the files after it are not applied.
  fs.writeFileSync(
    path.join(migrations, 'V000005__broken.sql'),
    'CREATE STREAM s5 AS SELECT * FROM votes;\nCREATE STREAM s5b AS SELECT nope FROM votes;\n',
  );
  fs.writeFileSync(path.join(migrations, 'V000006__after.sql'), 'CREATE STREAM s6 AS SELECT * FROM votes;\n');
  const failed = capture();
  assert.equal(await apply(configFile, { all: true, ...fast }, failed), 1, failed.text());
  assert.match(failed.text(), /ERROR Failed to execute sql: CREATE STREAM s5b AS SELECT nope FROM votes;\. Error: /);
  const broken = await untilState('5', '5', 'ERROR');
  assert.match(String(broken.ERROR_REASON), /^Failed to execute sql: CREATE STREAM s5b/);
  await untilState('CURRENT', '5', 'ERROR');
  assert.equal(await versionRow('6'), undefined);
  assert.ok(!(await sourceNames('STREAMS')).includes('S6'));
  const afterFailure = capture();
  assert.equal(await info(configFile, afterFailure), 0);
  assert.match(afterFailure.text(), / 5 +\| broken +\| ERROR +\| 4 /);
  assert.match(afterFailure.text(), / 6 +\| after +\| PENDING +\| N\/A /);

  // destroy-metadata: the table's query terminated, both sources and their topics dropped.
  const destroyed = capture();
  assert.equal(await destroyMetadata(configFile, destroyed), 0, destroyed.text());
  assert.match(destroyed.text(), /Found 1 query writing to the metadata table/);
  assert.ok(!(await sourceNames('STREAMS')).includes('MIGRATION_EVENTS'));
  assert.ok(!(await sourceNames('TABLES')).includes('MIGRATION_SCHEMA_VERSIONS'));
  const notInitialized = capture();
  assert.equal(await info(configFile, notInitialized), 1);
  assert.match(notInitialized.text(), /Did you run `tally migrate initialize-metadata`\?/);
});

test('the yargs module parses the tool’s options and reports a missing config file', async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    process.exitCode = 0;
    await yargs().command(migrateCommand).strict().parseAsync(['migrate', 'apply', '--all']);
    assert.equal(process.exitCode, 1);
    assert.match(errors.join('\n'), /Migrations config file required but not specified/);
  } finally {
    console.error = original;
    process.exitCode = 0;
  }
});

test('migration files: statements split at semicolons outside quotes, comments dropped, unsupported ones refused', () => {
  assert.deepEqual(
    splitMigration(
      "-- c\nCREATE STREAM a (x STRING) WITH (kafka_topic='a;b');\n/* x; */INSERT INTO a (x) VALUES ('it''s');\n",
    ),
    ["CREATE STREAM a (x STRING) WITH (kafka_topic='a;b');", "INSERT INTO a (x) VALUES ('it''s');"],
  );
  assert.throws(
    () => splitMigration('CREATE STREAM a;\nDROP STREAM a'),
    /Unmatched command at end of file; missing semicolon: '\nDROP STREAM a'/,
  );
  const variables = new Map([['TOPIC', 't']]);
  for (const [sql, message] of [
    ['SELECT * FROM a;', "'SELECT' statements are not supported."],
    ['describe a;', "'DESCRIBE' statements are not supported."],
    ['SHOW STREAMS;', "'SHOW' statements are not supported."],
    ['LIST TOPICS;', "'LIST' statements are not supported."],
    ['EXPLAIN q;', "'EXPLAIN' statements are not supported."],
    ["PRINT 'a';", "'PRINT' statements are not supported."],
    ["RUN SCRIPT 'x.sql';", "'RUN SCRIPT' statements are not supported."],
  ] as const) {
    assert.throws(() => toMigrationCommand(sql, variables), { message });
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
  assert.deepEqual(toMigrationCommand("SET 'auto.offset.reset' = '${topic}';", variables), {
    kind: 'set',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a ksqlDB variable reference
    sql: "SET 'auto.offset.reset' = '${topic}';",
    property: 'auto.offset.reset',
    value: 't',
  });
  assert.equal(toMigrationCommand("INSERT INTO a (x) VALUES ('1');", variables).kind, 'insertValues');
  assert.equal(toMigrationCommand('INSERT INTO a SELECT * FROM b;', variables).kind, 'statement');
  assert.equal(toMigrationCommand("CREATE SINK CONNECTOR c WITH ('a'='b');", variables).kind, 'connector');
  assert.equal(toMigrationCommand("DEFINE x = 'y';", variables).kind, 'define');
  assert.throws(() => toMigrationCommand('DEFINE x y;', variables), /Invalid DEFINE command: DEFINE x y;/);
});

test('properties files: separators, comments, continuations and escapes as Java reads them', () => {
  const props = parseProperties('# c\n! c\na=1\nb : 2\nc 3\nd=x\\\n   y\ne=\\u0041\\t\nf\n');
  assert.deepEqual(Object.fromEntries(props), { a: '1', b: '2', c: '3', d: 'xy', e: 'A\t', f: '' });
});
