/**
 * The docker stack: the real Confluent images from docker-compose.yml, run by
 * `docker compose`. Used where a Docker engine answers (not on machines that
 * only have the docker client).
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT, UserError } from '../config/index.ts';

export const COMPOSE_FILE = path.join(PROJECT_ROOT, 'docker-compose.yml');

/** True when `docker info` reaches an engine within a few seconds. */
export function dockerEngineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 }, (error) => resolve(!error));
  });
}

/** Runs `docker compose <args>` on the project's compose file, attached to this terminal. */
export function compose(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['compose', '--file', COMPOSE_FILE, '--project-name', 'tally', ...args], {
      stdio: 'inherit',
    });
    child.once('error', (error) => reject(new UserError(`could not run docker compose: ${error.message}`)));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new UserError(`docker compose ${args.join(' ')} exited with code ${code}`)),
    );
  });
}
