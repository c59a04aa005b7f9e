/**
 * The ksql-migrations commands, each returning its exit status (0 or 1) as
 * the real tool's BaseCommand subclasses do. Messages are the real tool's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KsqlClient, KsqlClientError } from '../client/ksql-client.ts';
import { splitMigration, toMigrationCommand } from './commands-parser.ts';
import {
  clientOptions,
  loadMigrationConfig,
  type MigrationConfig,
  TEMPLATE_DEFAULTS,
  TEMPLATE_GROUPS,
} from './config.ts';
import { MigrationError } from './errors.ts';
import {
  allMigrations,
  checksumOf,
  fileContents,
  type MigrationFile,
  migrationForVersion,
  newFileName,
} from './files.ts';
import { formatVersionInfos } from './info-format.ts';
import {
  CURRENT_VERSION_KEY,
  createEventStreamSql,
  createVersionTableSql,
  currentVersion,
  infoForVersion,
  latestMigratedVersion,
  type MigrationState,
  NONE_VERSION,
  optionalInfoForVersions,
  pendingMigration,
  validateVersionIsMigrated,
  writeEvent,
} from './metadata.ts';
import { readPropertiesFile } from './properties.ts';

export const MIGRATIONS_COMMAND = 'tally migrate';

/** Where the tool's messages go (the real tool logs INFO to stdout and errors likewise). */
export interface MigrationOutput {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleOutput: MigrationOutput = {
  info: (m) => console.log(m),
  warn: (m) => console.error(`WARN ${m}`),
  error: (m) => console.error(`ERROR ${m}`),
};

export interface ApplyOptions {
  readonly all?: boolean;
  readonly next?: boolean;
  readonly until?: number;
  readonly version?: number;
  readonly dryRun?: boolean;
  /** `name=value` pairs, as DEFINE statements before each migration. */
  readonly define?: readonly string[];
  /** A properties file of request headers. */
  readonly headers?: string;
  /** Waits between checks that the previous version is MIGRATED (the real tool: 10 of 1 s). */
  readonly verifyRetries?: number;
  readonly verifyBackoffMs?: number;
  readonly now?: () => number;
}

/** Runs `body` with a loaded config and times it, as BaseCommand does. */
async function withConfig(
  configFile: string | undefined,
  out: MigrationOutput,
  body: (config: MigrationConfig) => Promise<number>,
): Promise<number> {
  const started = Date.now();
  let status: number;
  if (!configFile || configFile.trim() === '') {
    out.error('Migrations config file required but not specified. Specify with --config-file (or, equivalently, -c).');
    status = 1;
  } else {
    try {
      status = await body(await loadMigrationConfig(configFile));
    } catch (error) {
      if (!(error instanceof MigrationError || error instanceof KsqlClientError)) throw error;
      out.error(error.message);
      status = 1;
    }
  }
  out.info(`Execution time: ${((Date.now() - started) / 1000).toFixed(4)} seconds`);
  return status;
}

async function sourceExists(client: KsqlClient, name: string, type: 'stream' | 'table'): Promise<boolean> {
  const [entity] = await client.execute(type === 'stream' ? 'LIST STREAMS;' : 'LIST TABLES;');
  const sources = ((type === 'stream' ? entity?.streams : entity?.tables) ?? []) as { name: string }[];
  return sources.some((s) => s.name.toUpperCase() === name.toUpperCase());
}

async function validateMetadataInitialized(
  client: KsqlClient,
  config: MigrationConfig,
  out: MigrationOutput,
): Promise<boolean> {
  for (const [name, type] of [
    [config.streamName, 'stream'],
    [config.tableName, 'table'],
  ] as const) {
    try {
      await client.execute(`DESCRIBE ${name};`);
    } catch (error) {
      out.error(
        `Failed to verify existence of migrations metadata ${type} '${name}'. Did you run \`${MIGRATIONS_COMMAND} initialize-metadata\`? Error message: ${(error as Error).message}`,
      );
      return false;
    }
  }
  return true;
}

/** The server's version must be CP 6.0+ or standalone ksqlDB 0.10+; an unparsable one proceeds with a warning. */
async function serverVersionCompatible(
  client: KsqlClient,
  config: MigrationConfig,
  out: MigrationOutput,
): Promise<boolean> {
  let version: string;
  try {
    version = (await client.info()).version;
  } catch (error) {
    out.error(
      `Failed to get server info to verify version compatibility: Failed to query ${config.serverUrl}/info: ${(error as Error).message}`,
    );
    return false;
  }
  const match = /v?([0-9]+)\.([0-9]+)\..*/.exec(version);
  if (!match) {
    out.warn(`Could not parse ksqlDB server version to verify compatibility. Version: ${version}. Proceeding anyway.`);
    return true;
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [wantMajor, wantMinor] = major < 4 ? [0, 10] : [6, 0];
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

// new-project <project-path> <ksql-server-url>

export function newProject(projectPath: string, ksqlServerUrl: string, out: MigrationOutput = consoleOutput): number {
  const started = Date.now();
  const status = createProject(projectPath, ksqlServerUrl, out);
  out.info(`Execution time: ${((Date.now() - started) / 1000).toFixed(4)} seconds`);
  return status;
}

function createProject(projectPath: string, ksqlServerUrl: string, out: MigrationOutput): number {
  out.info(`Creating new migrations project at ${projectPath}`);
  const ok =
    tryCreateDirectory(projectPath, out) &&
    tryCreateDirectory(path.join(projectPath, 'migrations'), out) &&
    tryCreatePropertiesFile(path.join(projectPath, 'ksql-migrations.properties'), ksqlServerUrl, out);
  if (ok) out.info('Migrations project directory created successfully');
  return ok ? 0 : 1;
}

function tryCreateDirectory(dir: string, out: MigrationOutput): boolean {
  if (fs.existsSync(dir)) {
    if (fs.statSync(dir).isDirectory()) {
      out.warn(`${dir} already exists. Skipping directory creation.`);
      return true;
    }
    out.error(`${dir} already exists as a file. Cannot create directory.`);
    return false;
  }
  try {
    out.info(`Creating directory: ${dir}`);
    fs.mkdirSync(dir, { recursive: true });
    return true;
  } catch (error) {
    out.error(`Failed to create directory ${dir}: ${(error as Error).message}`);
    return false;
  }
}

export function initialConfig(ksqlServerUrl: string): string {
  let text = `ksql.server.url=${ksqlServerUrl}`;
  for (const [header, keys] of TEMPLATE_GROUPS) {
    text += `\n\n# ${header}:`;
    for (const key of keys) text += `\n# ${key}=${TEMPLATE_DEFAULTS[key] ?? ''}`;
  }
  return text;
}

function tryCreatePropertiesFile(file: string, ksqlServerUrl: string, out: MigrationOutput): boolean {
  if (fs.existsSync(file)) {
    out.error(`Failed to create file. File already exists: ${file}`);
    return false;
  }
  out.info(`Creating file: ${file}`);
  const text = initialConfig(ksqlServerUrl);
  out.info(`Writing to config file: ${text}`);
  try {
    fs.writeFileSync(file, `${text}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    out.error(`Failed to write to config file ${file}: ${(error as Error).message}`);
    return false;
  }
}

// initialize-metadata

export function initializeMetadata(
  configFile: string | undefined,
  out: MigrationOutput = consoleOutput,
): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const client = new KsqlClient(clientOptions(config));
    const create = async (sql: string, name: string, type: 'stream' | 'table') => {
      try {
        out.info(`Creating ${type}: ${name}`);
        await client.execute(sql);
        return true;
      } catch (error) {
        out.error(`Failed to create ${type} ${name}: ${(error as Error).message}`);
        return false;
      }
    };
    const ok =
      (await serverVersionCompatible(client, config, out)) &&
      (await create(
        createEventStreamSql(config.streamName, config.streamTopicName, config.topicReplicas),
        config.streamName,
        'stream',
      )) &&
      (await create(
        createVersionTableSql(config.tableName, config.streamName, config.tableTopicName),
        config.tableName,
        'table',
      ));
    if (ok) out.info('Migrations metadata initialized successfully');
    return ok ? 0 : 1;
  });
}

// create <description> [-v version]

export function createMigration(
  configFile: string | undefined,
  description: string,
  version: number | undefined,
  out: MigrationOutput = consoleOutput,
): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const dir = config.migrationsDir;
    if (version !== undefined) {
      if (!Number.isInteger(version) || version < 1 || version > 999999) {
        throw new MigrationError(`Invalid version file version: ${version}. Version must be between 1 and 999999.`);
      }
      const existing = migrationForVersion(version, dir, out.warn);
      if (existing) {
        out.error(`Found existing migrations file for version ${version}: ${existing.filepath}`);
        return 1;
      }
    }
    if (description === '') {
      out.error('Description cannot be empty.');
      return 1;
    }
    const all = allMigrations(dir, out.warn);
    const newVersion = version ?? (all.length > 0 ? (all[all.length - 1] as MigrationFile).version + 1 : 1);
    if (newVersion > 999999) {
      throw new MigrationError(
        `Invalid version file version: ${newVersion}. Version must fit into a six-digit integer.`,
      );
    }
    const file = path.join(dir, newFileName(newVersion, description));
    out.info(`Creating migration file: ${file}`);
    try {
      fs.writeFileSync(file, '', { flag: 'wx' });
    } catch (error) {
      throw new MigrationError(`Failed to create file ${file}: ${(error as Error).message}`);
    }
    out.info('Migration file successfully created');
    return 0;
  });
}

// info

export function info(configFile: string | undefined, out: MigrationOutput = consoleOutput): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const client = new KsqlClient(clientOptions(config));
    if (!(await validateMetadataInitialized(client, config, out))) return 1;
    out.info(`Current migration version: ${await currentVersion(config, client)}`);
    const migrations = allMigrations(config.migrationsDir, out.warn);
    if (migrations.length === 0) {
      out.info('No migrations files found');
      return 0;
    }
    const infos = await optionalInfoForVersions(
      migrations.map((m) => m.version),
      config,
      client,
    );
    out.info(formatVersionInfos(migrations.map((m) => infos.get(m.version) ?? pendingMigration(m.version, m.name))));
    return 0;
  });
}

// validate

/** Walks back from the latest migrated version, comparing each file's MD5 with the saved checksum. */
async function validateApplied(config: MigrationConfig, client: KsqlClient, out: MigrationOutput): Promise<boolean> {
  let version = await latestMigratedVersion(config, client);
  let nextVersion: string | null = null;
  while (version !== NONE_VERSION) {
    const versionInfo = await infoForVersion(version, config, client);
    if (nextVersion !== null) validateVersionIsMigrated(version, versionInfo, nextVersion);
    let file: MigrationFile | undefined;
    try {
      file = migrationForVersion(version, config.migrationsDir);
    } catch {
      file = undefined;
    }
    if (!file) {
      out.error(`No migrations file found for version with status MIGRATED. Version: ${version}`);
      return false;
    }
    const hash = checksumOf(file.filepath);
    if (versionInfo.expectedHash !== hash) {
      out.error(
        `Migrations file found for version ${version} does not match the checksum saved for this version. Expected checksum: ${versionInfo.expectedHash}. Actual checksum: ${hash}. File name: ${file.filepath}`,
      );
      return false;
    }
    nextVersion = version;
    version = versionInfo.prevVersion;
  }
  return true;
}

export function validate(configFile: string | undefined, out: MigrationOutput = consoleOutput): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const client = new KsqlClient(clientOptions(config));
    if (!(await validateMetadataInitialized(client, config, out))) return 1;
    if (!(await validateApplied(config, client, out))) return 1;
    out.info('Successfully validated checksums for migrations that have already been applied');
    return 0;
  });
}

// apply

function parseDefines(defines: readonly string[] | undefined): Map<string, string> {
  const variables = new Map<string, string>();
  for (const pair of defines ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new MigrationError(`Variables must be defined using '=' (i.e. var=val). Got: ${pair}`);
    const name = pair.slice(0, at).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_@]*$/.test(name)) throw new MigrationError(`Illegal variable name: ${name}`);
    variables.set(name.toUpperCase(), pair.slice(at + 1));
  }
  return variables;
}

export function apply(
  configFile: string | undefined,
  options: ApplyOptions,
  out: MigrationOutput = consoleOutput,
): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const targets = [options.all, options.next, options.until !== undefined, options.version !== undefined].filter(
      Boolean,
    ).length;
    if (targets !== 1) {
      out.error('Exactly one of the following options must be provided: [--all, --next, --until, --version]');
      return 1;
    }
    for (const [flag, value] of [
      ['--until', options.until],
      ['--version', options.version],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 999999)) {
        out.error(`${flag} must be an integer between 1 and 999999. Got: ${value}`);
        return 1;
      }
    }
    let headers: Record<string, string> | undefined;
    if (options.headers !== undefined && options.headers.trim() !== '') {
      try {
        headers = Object.fromEntries(readPropertiesFile(options.headers.trim()));
      } catch {
        throw new MigrationError(`Could not parse headers file '${options.headers}'.`);
      }
    }
    const defined = parseDefines(options.define);
    const client = new KsqlClient(clientOptions(config, headers));
    if (!(await validateMetadataInitialized(client, config, out))) return 1;
    if (options.dryRun) out.info('This is a dry run. No ksqlDB statements will be submitted to the ksqlDB server.');
    out.info('Validating current migration state before applying new migrations');
    if (!(await validateApplied(config, client, out))) return 1;
    return (await new MigrationApplier(config, client, options, defined, out).applyAll()) ? 0 : 1;
  });
}

class MigrationApplier {
  private readonly now: () => number;

  constructor(
    private readonly config: MigrationConfig,
    private readonly client: KsqlClient,
    private readonly options: ApplyOptions,
    private readonly defined: ReadonlyMap<string, string>,
    private readonly out: MigrationOutput,
  ) {
    this.now = options.now ?? Date.now;
  }

  async applyAll(): Promise<boolean> {
    let previous = await latestMigratedVersion(this.config, this.client);
    this.out.info('Loading migration files');
    let migrations: MigrationFile[];
    try {
      migrations = this.toApply(previous);
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      this.out.error(error.message);
      return false;
    }
    if (migrations.length === 0) this.out.info('No eligible migrations found.');
    else this.out.info(`${migrations.length} migration file(s) loaded.`);
    for (const migration of migrations) {
      if (!(await this.applyOne(migration, previous))) return false;
      previous = String(migration.version);
    }
    return true;
  }

  private toApply(previous: string): MigrationFile[] {
    const minimum = previous === NONE_VERSION ? 1 : Number.parseInt(previous, 10) + 1;
    const dir = this.config.migrationsDir;
    if (this.options.version !== undefined) {
      const migration = migrationForVersion(this.options.version, dir, this.out.warn);
      if (!migration) throw new MigrationError(`No migration file with version ${this.options.version} exists.`);
      if (this.options.version < minimum) {
        throw new MigrationError(
          `Version must be newer than the last version migrated. Last version migrated was ${previous}`,
        );
      }
      return [migration];
    }
    const until = this.options.until;
    const migrations = allMigrations(dir, this.out.warn).filter(
      (m) => m.version >= minimum && (until === undefined || m.version <= until),
    );
    if (this.options.next) {
      if (migrations.length === 0) throw new MigrationError('No eligible migrations found.');
      return migrations.slice(0, 1);
    }
    return migrations;
  }

  private async applyOne(migration: MigrationFile, previous: string): Promise<boolean> {
    this.out.info(`Applying migration version ${migration.version}: ${migration.name}`);
    const content = fileContents(migration.filepath);
    this.out.info(`${migration.filepath} contents:\n${content}`);
    if (this.options.dryRun) {
      this.out.info('Dry run complete. No migrations were actually applied.');
      return true;
    }
    if (!(await this.verifyMigrated(previous))) {
      this.out.error(`Failed to verify status of version ${previous}`);
      return false;
    }
    const started = String(this.now());
    if (!(await this.updateState('RUNNING', started, migration, previous))) return false;
    try {
      const statements = splitMigration(content);
      // First pass parses everything (running only DEFINE/UNDEFINE), so a bad statement runs nothing.
      await this.executeCommands(statements, started, migration, previous, true);
      await this.executeCommands(statements, started, migration, previous, false);
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      this.out.error(error.message);
      return false;
    }
    if (!(await this.updateState('MIGRATED', started, migration, previous))) return false;
    this.out.info('Successfully migrated');
    return true;
  }

  private async executeCommands(
    statements: readonly string[],
    started: string,
    migration: MigrationFile,
    previous: string,
    validateOnly: boolean,
  ): Promise<void> {
    const variables = new Map(this.defined);
    const properties: Record<string, string> = {};
    for (const sql of statements) {
      try {
        const command = toMigrationCommand(sql, variables);
        switch (command.kind) {
          case 'define':
            variables.set(command.variable.toUpperCase(), command.value);
            break;
          case 'undefine':
            variables.delete(command.variable.toUpperCase());
            break;
          case 'set':
            if (!validateOnly) properties[command.property] = command.value;
            break;
          case 'unset':
            if (!validateOnly) delete properties[command.property];
            break;
          default:
            if (!validateOnly) {
              await this.client.execute(command.sql, {
                streamsProperties: { ...properties },
                sessionVariables: Object.fromEntries(variables),
              });
            }
        }
      } catch (error) {
        const message = `Failed to ${validateOnly ? 'parse' : 'execute'} sql: ${sql}. Error: ${(error as Error).message}`;
        await this.updateState('ERROR', started, migration, previous, message);
        throw new MigrationError(message);
      }
    }
  }

  private async verifyMigrated(version: string): Promise<boolean> {
    if (version === NONE_VERSION) return true;
    const retries = this.options.verifyRetries ?? 10;
    const backoff = this.options.verifyBackoffMs ?? 1000;
    for (let attempt = 0; ; attempt++) {
      try {
        const state: MigrationState = (await infoForVersion(version, this.config, this.client)).state;
        if (state === 'MIGRATED') return true;
        throw new MigrationError(`Expected status MIGRATED for version ${version}. Got ${state}`);
      } catch (error) {
        if (!(error instanceof MigrationError)) throw error;
        if (attempt >= retries) {
          this.out.error(error.message);
          return false;
        }
        await sleep(backoff);
      }
    }
  }

  private async updateState(
    state: MigrationState,
    started: string,
    migration: MigrationFile,
    previous: string,
    errorReason?: string,
  ): Promise<boolean> {
    const completed = state === 'MIGRATED' || state === 'ERROR' ? String(this.now()) : '';
    const checksum = checksumOf(migration.filepath);
    try {
      for (const versionKey of [CURRENT_VERSION_KEY, String(migration.version)]) {
        await writeEvent(this.config, this.client, {
          versionKey,
          state,
          startedOn: started,
          completedOn: completed,
          migration,
          previous,
          checksum,
          ...(errorReason !== undefined && { errorReason }),
        });
      }
      return true;
    } catch (error) {
      this.out.error((error as Error).message);
      return false;
    }
  }
}

// destroy-metadata

export function destroyMetadata(configFile: string | undefined, out: MigrationOutput = consoleOutput): Promise<number> {
  return withConfig(configFile, out, async (config) => {
    const client = new KsqlClient(clientOptions(config));
    out.info('Cleaning migrations metadata stream and table from ksqlDB server');
    if (!(await serverVersionCompatible(client, config, out))) return 1;
    try {
      if (!(await existsOrThrow(client, config.tableName, 'table'))) {
        out.info('Metadata table does not exist. Skipping cleanup.');
      } else {
        await terminateQueryWriting(client, config.tableName, out);
        await dropSource(client, config.tableName, 'table', out);
      }
      if (!(await existsOrThrow(client, config.streamName, 'stream'))) {
        out.info('Metadata stream does not exist. Skipping cleanup.');
      } else {
        await dropSource(client, config.streamName, 'stream', out);
      }
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      out.error(error.message);
      return 1;
    }
    out.info('Migrations metadata cleaned successfully');
    return 0;
  });
}

async function existsOrThrow(client: KsqlClient, name: string, type: 'stream' | 'table'): Promise<boolean> {
  try {
    return await sourceExists(client, name, type);
  } catch (error) {
    throw new MigrationError(`Failed to check for presence of metadata ${type} '${name}': ${(error as Error).message}`);
  }
}

async function terminateQueryWriting(client: KsqlClient, tableName: string, out: MigrationOutput): Promise<void> {
  let queries: { id: string }[];
  try {
    const [entity] = await client.execute(`DESCRIBE ${tableName};`);
    queries = (entity?.sourceDescription?.writeQueries ?? []) as { id: string }[];
  } catch (error) {
    throw new MigrationError(`Failed to describe metadata table '${tableName}': ${(error as Error).message}`);
  }
  if (queries.length === 0) {
    out.info('Found 0 queries writing to the metadata table');
    return;
  }
  if (queries.length > 1) {
    throw new MigrationError(
      `Found multiple queries writing to the metadata table. Query IDs: '${queries.map((q) => q.id).join("', '")}'.`,
    );
  }
  const queryId = (queries[0] as { id: string }).id;
  out.info(`Found 1 query writing to the metadata table. Query ID: ${queryId}`);
  out.info(`Terminating query with ID: ${queryId}`);
  try {
    await client.execute(`TERMINATE ${queryId};`);
  } catch (error) {
    throw new MigrationError(
      `Failed to terminate query populating metadata table. Query ID: ${queryId}. Error: ${(error as Error).message}`,
    );
  }
}

async function dropSource(
  client: KsqlClient,
  name: string,
  type: 'stream' | 'table',
  out: MigrationOutput,
): Promise<void> {
  out.info(`Dropping migrations metadata ${type}: ${name}`);
  try {
    await client.execute(`DROP ${type.toUpperCase()} ${name} DELETE TOPIC;`);
  } catch (error) {
    throw new MigrationError(`Failed to drop metadata ${type} '${name}': ${(error as Error).message}`);
  }
}
