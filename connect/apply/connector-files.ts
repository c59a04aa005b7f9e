/**
 * The versioned connector configs in connect/connectors/: one JSON file per
 * connector, `<name>.json`, in the Connect REST create shape
 * `{"name": ..., "config": {...}}` with every value a string.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, UserError } from '../../config/index.ts';

export const DEFAULT_CONNECTORS_DIR = path.join(PROJECT_ROOT, 'connect', 'connectors');

export interface ConnectorFile {
  file: string;
  name: string;
  config: Record<string, string>;
}

/** Reads and checks one file; a problem is a UserError naming the file and what is wrong. */
export function readConnectorFile(file: string): ConnectorFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file} is not a JSON connector config: ${(error as Error).message}`);
  }
  const { name, config } = (parsed ?? {}) as { name?: unknown; config?: unknown };
  if (typeof name !== 'string' || name.trim() === '') {
    throw new UserError(`${file} needs a "name": the REST create shape is {"name": ..., "config": {...}}`);
  }
  if (path.basename(file, '.json') !== name) {
    throw new UserError(`${file} holds connector "${name}": name the file ${name}.json, one file per connector`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UserError(`${file} needs a "config" object of connector settings`);
  }
  const notStrings = Object.entries(config).filter(([, v]) => typeof v !== 'string');
  if (notStrings.length > 0) {
    throw new UserError(
      `${file}: Connect settings are strings; quote ${notStrings.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`,
    );
  }
  if ('name' in config && (config as Record<string, string>).name !== name) {
    throw new UserError(
      `${file}: config.name (${(config as Record<string, string>).name}) differs from name (${name})`,
    );
  }
  return { file, name, config: config as Record<string, string> };
}

/** Every `*.json` of a folder, by file name. */
export function readConnectorDir(dir: string): ConnectorFile[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    throw new UserError(`Cannot read connector configs from ${dir}: ${(error as Error).message}`);
  }
  const files = entries.filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new UserError(`${dir} has no connector configs (*.json)`);
  return files.map((f) => readConnectorFile(path.join(dir, f)));
}
