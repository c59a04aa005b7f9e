/**
 * Migration files (MigrationsDirectoryUtil): `V<six digits>__<name>.sql` in
 * the migrations folder, version > 0 and unique; the name is the part after
 * `__` with underscores read as spaces; the checksum is the MD5 of the bytes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MigrationError } from './errors.ts';

export interface MigrationFile {
  readonly version: number;
  /** The description, `_` read as a space. */
  readonly name: string;
  readonly filepath: string;
}

const MIGRATION_FILE = /V([0-9]{6})__(.+)\.sql/;
const INVALID_FILENAME_CHARS = /\s|\/|\\|:|\*|\?|"|<|>|\|/g;

export function filePrefixForVersion(version: number | string): string {
  return `V${String(version).padStart(6, '0')}`;
}

export function newFileName(version: number, description: string): string {
  return `${filePrefixForVersion(version)}__${description.replace(INVALID_FILENAME_CHARS, '_')}.sql`;
}

/** Reports files that do not match the pattern, as the real tool's warning. */
export type Warn = (message: string) => void;

function migrationFromFilename(dir: string, filename: string, warn: Warn): MigrationFile | undefined {
  const match = MIGRATION_FILE.exec(filename);
  if (!match) {
    warn(`Skipping file does not match expected migration file pattern 'V<six digit number>__<name>.sql': ${filename}`);
    return undefined;
  }
  const version = Number.parseInt(match[1] as string, 10);
  if (version <= 0) throw new MigrationError(`MigrationFile file versions must be positive. Found: ${filename}`);
  return { version, name: (match[2] as string).replaceAll('_', ' '), filepath: path.join(dir, filename) };
}

function listNames(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new MigrationError(`${dir} is not a directory.`);
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    throw new MigrationError(`Failed to retrieve files from ${dir}: ${(error as Error).message}`);
  }
}

function validateUnique(migrations: readonly MigrationFile[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const [previous, current] = [migrations[i - 1] as MigrationFile, migrations[i] as MigrationFile];
    if (current.version === previous.version) {
      throw new MigrationError(
        `Found multiple migration files with the same version. Version: ${current.version}. Files: '${current.filepath}', '${previous.filepath}'`,
      );
    }
  }
}

/** Every migration file, sorted by name (so by version). */
export function allMigrations(dir: string, warn: Warn = () => {}): MigrationFile[] {
  const names = listNames(dir)
    .sort()
    .filter((name) => !fs.statSync(path.join(dir, name)).isDirectory());
  const migrations = names.flatMap((name) => migrationFromFilename(dir, name, warn) ?? []);
  validateUnique(migrations);
  return migrations;
}

export function migrationForVersion(
  version: number | string,
  dir: string,
  warn: Warn = () => {},
): MigrationFile | undefined {
  const prefix = filePrefixForVersion(version);
  const matches = listNames(dir)
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) => migrationFromFilename(dir, name, warn) ?? []);
  validateUnique(matches);
  return matches[0];
}

export function fileContents(filepath: string): string {
  try {
    return fs.readFileSync(filepath, 'utf8');
  } catch (error) {
    throw new MigrationError(`Failed to read ${filepath}: ${(error as Error).message}`);
  }
}

/** MD5 of the file's bytes in lower-case hex, as the real tool's computeHashForFile. */
export function checksumOf(filepath: string): string {
  try {
    return createHash('md5').update(fs.readFileSync(filepath)).digest('hex');
  } catch (error) {
    throw new MigrationError(`Could not compute hash for file '${filepath}': ${(error as Error).message}`);
  }
}
