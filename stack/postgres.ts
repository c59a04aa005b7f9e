/**
 * The project-local PostgreSQL cluster: initdb'd under `<dataDir>/postgres`
 * from the system's PostgreSQL binaries, listening on the configured host and
 * port, run as an unprivileged user (PostgreSQL refuses to run as root).
 * Used when DATABASE_URL is unset.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { PostgresConfig } from '../config/index.ts';
import { UserError } from '../config/index.ts';
import type { ServiceDefinition } from './service.ts';

const run = promisify(execFile);

/** The user that runs PostgreSQL: ourselves, or when we are root, the system's `postgres` user. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

export function postgresRunAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) {
    throw new UserError(
      'PostgreSQL cannot run as root and there is no `postgres` user to run it as. ' +
        "Run `make setup` (it installs Debian's postgresql, which creates that user), or set DATABASE_URL to an existing server.",
    );
  }
  return { name: 'postgres', uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Finds the folder holding `initdb` and `postgres`: the configured one, the newest Debian one, or PATH. */
export function findPostgresBinaries(configured?: string): string {
  const candidates: string[] = [];
  if (configured) candidates.push(configured);
  else {
    const root = '/usr/lib/postgresql';
    if (fs.existsSync(root)) {
      const versions = fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a));
      candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
    }
    candidates.push(...(process.env.PATH ?? '').split(':').filter(Boolean));
  }
  const found = candidates.find(
    (dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres')),
  );
  if (!found) {
    throw new UserError(
      configured
        ? `TALLY_POSTGRES_BIN_DIR=${configured} holds no initdb and postgres binaries.`
        : 'PostgreSQL server binaries (initdb, postgres) were not found. Run `make setup` to install ' +
            "Debian's postgresql, set TALLY_POSTGRES_BIN_DIR to their folder, or set DATABASE_URL to an existing server.",
    );
  }
  return found;
}

/** True when `user` may enter every folder above `dir`, which PostgreSQL needs for its data folder. */
function checkTraversable(dir: string, runAs: RunAs): void {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const stat = fs.statSync(current);
    const mode = stat.mode;
    const canEnter = stat.uid === runAs.uid ? mode & 0o100 : stat.gid === runAs.gid ? mode & 0o010 : mode & 0o001;
    if (!canEnter) {
      throw new UserError(
        `PostgreSQL runs as the user ${runAs.name}, who cannot enter ${current} to reach its data folder ${dir}. ` +
          `Allow it (chmod o+x ${current}) or set TALLY_DATA_DIR to a folder it can reach.`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

export function postgresService(config: PostgresConfig, host: string): ServiceDefinition {
  const binDir = findPostgresBinaries(config.binDir);
  const runAs = postgresRunAs();
  const dataDir = config.dataDir;
  const socketDir = dataDir;
  const asUser = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};

  return {
    name: 'postgres',
    address: config.url,
    port: config.port,
    portVariable: 'TALLY_POSTGRES_PORT',
    stopSignal: 'SIGINT', // PostgreSQL's "fast" shutdown: roll back clients, checkpoint, exit.
    stopTimeoutMs: 30_000,
    async prepare() {
      if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (runAs) {
        checkTraversable(dataDir, runAs);
        fs.chownSync(dataDir, runAs.uid, runAs.gid);
      }
      // initdb reads the superuser's password from a file; keep it outside the data folder.
      const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-pw-'));
      const pwFile = path.join(pwDir, 'pw');
      fs.writeFileSync(pwFile, `${config.password}\n`, { mode: 0o600 });
      if (runAs) {
        fs.chownSync(pwDir, runAs.uid, runAs.gid);
        fs.chownSync(pwFile, runAs.uid, runAs.gid);
      }
      try {
        await run(
          path.join(binDir, 'initdb'),
          [
            '--pgdata',
            dataDir,
            '--username',
            config.user,
            '--pwfile',
            pwFile,
            '--auth-local=trust',
            '--auth-host=scram-sha-256',
            '--encoding=UTF8',
            '--locale=C',
            '--no-instructions',
          ],
          asUser,
        );
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        throw new UserError(`initdb failed for ${dataDir}:\n${stderr.trim()}`);
      } finally {
        fs.rmSync(pwDir, { recursive: true, force: true });
      }
    },
    process: () => ({
      command: path.join(binDir, 'postgres'),
      args: [
        '-D',
        dataDir,
        '-p',
        String(config.port),
        '-c',
        `listen_addresses=${host}`,
        '-c',
        `unix_socket_directories=${socketDir}`,
        '-c',
        'logging_collector=off',
      ],
      ...asUser,
    }),
    async ready() {
      // Readiness is a real login and query with the printed credentials, on the admin database.
      const client = new pg.Client({ ...clientOptions(config, host), database: 'postgres' });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    async afterReady() {
      const client = new pg.Client({ ...clientOptions(config, host), database: 'postgres' });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.database]);
        if (rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(config.database)}`);
      } finally {
        await client.end();
      }
    },
  };
}

function clientOptions(config: PostgresConfig, host: string): pg.ClientConfig {
  return { host, port: config.port, user: config.user, password: config.password, connectionTimeoutMillis: 2000 };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
