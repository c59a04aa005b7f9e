/**
 * The migrations metadata (MetadataUtil): the MIGRATION_EVENTS stream the tool
 * appends one event to per state change (for the version and for `CURRENT`),
 * and the MIGRATION_SCHEMA_VERSIONS table that keeps the latest event per
 * VERSION_KEY, read with pull queries. Statements are the real tool's text.
 */
import type { KsqlClient } from '../client/ksql-client.ts';
import { sqlString } from '../client/sql-statements.ts';
import type { MigrationConfig } from './config.ts';
import { MigrationError } from './errors.ts';
import type { MigrationFile } from './files.ts';

export const NONE_VERSION = '<none>';
export const CURRENT_VERSION_KEY = 'CURRENT';
export const EMPTY_ERROR_REASON = 'N/A';

export type MigrationState = 'PENDING' | 'RUNNING' | 'MIGRATED' | 'ERROR';
const STATES: readonly string[] = ['PENDING', 'RUNNING', 'MIGRATED', 'ERROR'];

const EVENT_COLUMNS = [
  'VERSION_KEY',
  'VERSION',
  'NAME',
  'STATE',
  'CHECKSUM',
  'STARTED_ON',
  'COMPLETED_ON',
  'PREVIOUS',
  'ERROR_REASON',
];

export function createEventStreamSql(name: string, topic: string, replicas: number): string {
  return (
    `CREATE STREAM ${name} (\n` +
    '  version_key  STRING KEY,\n' +
    '  version      STRING,\n' +
    '  name         STRING,\n' +
    '  state        STRING,  \n' +
    '  checksum     STRING,\n' +
    '  started_on   STRING,\n' +
    '  completed_on STRING,\n' +
    '  previous     STRING,\n' +
    '  error_reason STRING\n' +
    ') WITH (  \n' +
    `  KAFKA_TOPIC='${topic}',\n` +
    "  VALUE_FORMAT='JSON',\n" +
    '  PARTITIONS=1,\n' +
    `  REPLICAS= ${replicas} \n` +
    ');\n'
  );
}

export function createVersionTableSql(tableName: string, streamName: string, topic: string): string {
  return (
    `CREATE TABLE ${tableName}\n` +
    '  WITH (\n' +
    `    KAFKA_TOPIC='${topic}'\n` +
    '  )\n' +
    '  AS SELECT \n' +
    '    version_key, \n' +
    '    latest_by_offset(version) as version, \n' +
    '    latest_by_offset(name) AS name, \n' +
    '    latest_by_offset(state) AS state,     \n' +
    '    latest_by_offset(checksum) AS checksum, \n' +
    '    latest_by_offset(started_on) AS started_on, \n' +
    '    latest_by_offset(completed_on) AS completed_on, \n' +
    '    latest_by_offset(previous) AS previous, \n' +
    '    latest_by_offset(error_reason) AS error_reason \n' +
    `  FROM ${streamName} \n` +
    '  GROUP BY version_key;\n'
  );
}

/** One row of the versions table, as the real tool's MigrationVersionInfo (timestamps kept as epoch text). */
export interface MigrationVersionInfo {
  readonly version: number;
  readonly expectedHash: string;
  readonly prevVersion: string;
  readonly state: MigrationState;
  readonly name: string;
  readonly startedOn: string;
  readonly completedOn: string;
  readonly errorReason: string;
}

export function pendingMigration(version: number, name: string): MigrationVersionInfo {
  return {
    version,
    expectedHash: 'N/A',
    prevVersion: 'N/A',
    state: 'PENDING',
    name,
    startedOn: 'N/A',
    completedOn: 'N/A',
    errorReason: EMPTY_ERROR_REASON,
  };
}

function fromRow(row: readonly unknown[]): MigrationVersionInfo {
  const text = (i: number, field: string): string => {
    const value = row[i];
    if (value === null || value === undefined) throw new MigrationError(`${field} is null in the migrations table`);
    return String(value);
  };
  const state = text(3, 'state');
  if (!STATES.includes(state)) throw new MigrationError(`Unknown migration state: ${state}`);
  return {
    version: Number.parseInt(text(0, 'version'), 10),
    expectedHash: text(1, 'expectedHash'),
    prevVersion: text(2, 'prevVersion'),
    state: state as MigrationState,
    name: text(4, 'name'),
    startedOn: text(5, 'startedOn'),
    completedOn: text(6, 'completedOn'),
    // Events written by tools before error_reason existed leave it null.
    errorReason: row[7] === null || row[7] === undefined ? EMPTY_ERROR_REASON : String(row[7]),
  };
}

const INFO_COLUMNS = 'version, checksum, previous, state, name, started_on, completed_on, error_reason';

export async function currentVersion(config: MigrationConfig, client: KsqlClient): Promise<string> {
  try {
    const result = await client.query(
      `SELECT VERSION FROM ${config.tableName} WHERE version_key = '${CURRENT_VERSION_KEY}';`,
    );
    const first = result.rows[0];
    return first === undefined ? NONE_VERSION : String(first[0]);
  } catch (error) {
    throw new MigrationError(`Could not query ${config.tableName}: ${(error as Error).message}`);
  }
}

export async function optionalInfoForVersion(
  version: string,
  config: MigrationConfig,
  client: KsqlClient,
): Promise<MigrationVersionInfo | undefined> {
  let rows: readonly (readonly unknown[])[];
  try {
    rows = (await client.query(`SELECT ${INFO_COLUMNS} FROM ${config.tableName} WHERE version_key = '${version}';`))
      .rows;
  } catch (error) {
    throw new MigrationError(
      `Failed to query state for migration with version ${version}: ${(error as Error).message}`,
    );
  }
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

export async function infoForVersion(
  version: string,
  config: MigrationConfig,
  client: KsqlClient,
): Promise<MigrationVersionInfo> {
  const info = await optionalInfoForVersion(version, config, client);
  if (!info) {
    throw new MigrationError(
      `Failed to query state for migration with version ${version}: no such migration is present in the migrations metadata table`,
    );
  }
  return info;
}

/** One multi-key pull query, as the real tool issues to servers from 6.1 on. */
export async function optionalInfoForVersions(
  versions: readonly number[],
  config: MigrationConfig,
  client: KsqlClient,
): Promise<Map<number, MigrationVersionInfo>> {
  let rows: readonly (readonly unknown[])[];
  try {
    rows = (
      await client.query(
        `SELECT ${INFO_COLUMNS} FROM ${config.tableName} WHERE version_key IN ('${versions.join("', '")}');`,
      )
    ).rows;
  } catch (error) {
    throw new MigrationError(
      `Failed to query state for migration with versions [${versions.join(', ')}]: ${(error as Error).message}`,
    );
  }
  const result = new Map<number, MigrationVersionInfo>();
  for (const row of rows) {
    const info = fromRow(row);
    result.set(info.version, info);
  }
  return result;
}

export function validateVersionIsMigrated(version: string, info: MigrationVersionInfo, nextVersion: string): void {
  if (info.state !== 'MIGRATED') {
    throw new MigrationError(
      `Discovered version with previous version that does not have status MIGRATED. Version: ${nextVersion}. Previous version: ${version}. Previous version status: ${info.state}`,
    );
  }
}

/** The newest version whose state is MIGRATED: CURRENT, or the one before it when CURRENT failed or runs. */
export async function latestMigratedVersion(config: MigrationConfig, client: KsqlClient): Promise<string> {
  const current = await currentVersion(config, client);
  if (current === NONE_VERSION) return current;
  const currentInfo = await infoForVersion(current, config, client);
  if (currentInfo.state === 'MIGRATED') return current;
  if (currentInfo.prevVersion === NONE_VERSION) return NONE_VERSION;
  const previousInfo = await infoForVersion(currentInfo.prevVersion, config, client);
  validateVersionIsMigrated(currentInfo.prevVersion, previousInfo, current);
  return currentInfo.prevVersion;
}

/** Appends one event to the migrations stream with INSERT ... VALUES. */
export async function writeEvent(
  config: MigrationConfig,
  client: KsqlClient,
  event: {
    versionKey: string;
    state: MigrationState;
    startedOn: string;
    completedOn: string;
    migration: MigrationFile;
    previous: string;
    checksum: string;
    errorReason?: string;
  },
): Promise<void> {
  const values = [
    event.versionKey,
    String(event.migration.version),
    event.migration.name,
    event.state,
    event.checksum,
    event.startedOn,
    event.completedOn,
    event.previous,
    event.errorReason ?? EMPTY_ERROR_REASON,
  ];
  await client.execute(
    `INSERT INTO ${config.streamName} (${EVENT_COLUMNS.join(', ')}) VALUES (${values.map(sqlString).join(', ')});`,
  );
}
