/** `tally up|down|status|logs|psql|reset|supervise`: control of the whole stack. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { type Config, configOptions, loadConfig, UserError } from '../config/index.ts';
import { superviseStack } from './daemon.ts';
import { compose, dockerEngineAnswers } from './docker.ts';
import { countedVotes, electionService, electionTruthFile } from './election.ts';
import { acceptsConnections } from './embedded.ts';
import { followLogs } from './logs.ts';
import { isAlive, type RunState, readRunState } from './run-state.ts';
import { TALLY_BIN } from './tally-bin.ts';

type Flags = ArgumentsCamelCase<Record<string, unknown>>;

async function chooseStack(config: Config): Promise<'docker' | 'embedded'> {
  if (config.stack !== 'auto') return config.stack;
  return (await dockerEngineAnswers()) ? 'docker' : 'embedded';
}

function printServices(state: RunState): void {
  const width = Math.max(...state.services.map((s) => s.name.length), 7);
  for (const s of state.services) {
    const detail = s.error ? `  ${s.error.split('\n')[0]}` : '';
    console.log(`  ${s.name.padEnd(width)}  ${s.state.padEnd(10)}  ${s.address}${detail}`);
  }
}

async function up(config: Config): Promise<void> {
  const stack = await chooseStack(config);
  if (stack === 'docker') {
    console.log('A Docker engine answers: starting the docker stack (real Confluent images).');
    await compose(['up', '--detach', '--wait']);
    await compose(['ps']);
    // Then, as on the embedded stack: topics, migrations, connectors, the dashboard and the election.
  } else {
    console.log(
      config.stack === 'embedded'
        ? 'Starting the embedded stack (TALLY_STACK=embedded).'
        : 'No Docker engine answers: starting the embedded stack (TypeScript stand-ins for the Confluent services).',
    );
  }
  await startSupervisor(config, stack);
}

/** Starts the detached supervisor (`tally supervise`) and waits until its services are ready. */
async function startSupervisor(config: Config, stack: 'docker' | 'embedded'): Promise<void> {
  const existing = readRunState(config.runDir);
  if (existing && isAlive(existing.pid) && existing.phase === 'running') {
    console.log(`The stack is already running (supervisor pid ${existing.pid}):`);
    printServices(existing);
    return;
  }
  if (existing && isAlive(existing.pid)) {
    throw new UserError(`The supervisor (pid ${existing.pid}) is ${existing.phase}; wait, or run \`make down\` first.`);
  }
  fs.mkdirSync(config.logDir, { recursive: true });
  const supervisorLog = path.join(config.logDir, 'supervisor.log');
  const out = fs.openSync(supervisorLog, 'a');
  const startedAt = new Date().toISOString();
  const daemon = spawn(TALLY_BIN, ['supervise', ...process.argv.slice(3)], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, TALLY_STACK: stack },
  });
  fs.closeSync(out);
  daemon.unref();

  for (;;) {
    await sleep(200);
    const state = readRunState(config.runDir);
    const fresh = state && state.pid === daemon.pid && state.startedAt >= startedAt;
    if (fresh && state.phase === 'running') {
      if (config.settings.election) await waitForFirstVotes(config);
      console.log('Ready:');
      printServices(readRunState(config.runDir) ?? state);
      printWhereToGo(config);
      return;
    }
    if ((fresh && (state.phase === 'failed' || state.phase === 'stopped')) || !isAlive(daemon.pid)) {
      if (fresh) printServices(state);
      throw new UserError(
        `The ${stack} stack did not start${fresh && state.error ? `:\n${state.error}` : `; see ${supervisorLog}`}`,
      );
    }
  }
}

/** The election service is ready at the first counted votes, or finished before: either way, wait for them. */
async function waitForFirstVotes(config: Config): Promise<void> {
  const deadline = Date.now() + 300_000;
  while ((await countedVotes(config.postgres.url)) === 0) {
    if (Date.now() > deadline) {
      throw new UserError(`No vote reached PostgreSQL within 5 minutes; see the logs in ${config.logDir} (make logs).`);
    }
    await sleep(500);
  }
}

function printWhereToGo(config: Config): void {
  const election = config.settings.election
    ? `The election is on (${electionService(config).address}); its ground truth is in ${electionTruthFile(config)}.\n`
    : '';
  console.log(
    `\n${election}Dashboard:  ${config.dashboardUrl}\n` +
      `ksqlDB CLI: make ksql        PostgreSQL: make psql        Logs: make logs (${config.logDir})\n` +
      'Stop: make down (make up again resumes)        Wipe the data: make reset',
  );
}

async function down(config: Config): Promise<void> {
  await stopSupervisor(config);
  if ((await chooseStack(config)) === 'docker') await compose(['down']);
}

/** Stops the supervisor and its services (the whole embedded stack, or what runs beside the containers). */
async function stopSupervisor(config: Config): Promise<void> {
  const state = readRunState(config.runDir);
  if (!state || !isAlive(state.pid)) {
    // A supervisor killed with -9 leaves its services behind: stop them too.
    const orphans = (state?.services ?? []).filter((s) => isAlive(s.pid));
    for (const s of orphans) process.kill(s.pid!, 'SIGTERM');
    await waitForExit(
      orphans.map((s) => s.pid!),
      30_000,
    );
    console.log(orphans.length > 0 ? `Stopped ${orphans.map((s) => s.name).join(', ')}.` : 'The stack is not running.');
    return;
  }
  process.kill(state.pid, 'SIGTERM');
  console.log(`Stopping the supervised services (supervisor pid ${state.pid})...`);
  if (!(await waitForExit([state.pid], 90_000))) {
    throw new UserError(`The supervisor (pid ${state.pid}) did not stop within 90 s; see ${config.logDir}.`);
  }
  console.log('Stopped.');
}

async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function status(config: Config): Promise<void> {
  if ((await chooseStack(config)) === 'docker') await compose(['ps']);
  const state = readRunState(config.runDir);
  if (!state || !isAlive(state.pid)) {
    console.log('The supervised services are not running. Start them with `make up`.');
    process.exitCode = 3;
    return;
  }
  console.log(`Supervised services: ${state.phase} (supervisor pid ${state.pid}, since ${state.startedAt})`);
  const width = Math.max(...state.services.map((s) => s.name.length), 7);
  let healthy = state.phase === 'running';
  for (const s of state.services) {
    // A client (the election) has no port: its state says it all.
    const listening = s.port === undefined || (await acceptsConnections(config.host, s.port));
    healthy &&= listening && (s.state === 'ready' || s.state === 'finished');
    const health = s.port === undefined ? '' : listening ? 'answering' : 'NOT ANSWERING';
    const restarts = s.restarts > 0 ? `  restarts: ${s.restarts}` : '';
    console.log(
      `  ${s.name.padEnd(width)}  ${s.state.padEnd(10)}  ${health.padEnd(13)}  pid ${s.pid ?? '-'}  ${s.address}${restarts}`,
    );
  }
  if (!healthy) process.exitCode = 1;
}

async function reset(config: Config): Promise<void> {
  await stopSupervisor(config);
  if ((await chooseStack(config)) === 'docker') await compose(['down', '--volumes']);
  fs.rmSync(config.dataDir, { recursive: true, force: true });
  console.log(`Wiped ${config.dataDir}.`);
}

async function psql(config: Config): Promise<void> {
  const child = spawn('psql', [config.postgres.url], { stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new UserError(`could not run psql (${error.message}); run \`make setup\``)));
    child.once('exit', (code) => {
      process.exitCode = code ?? 1;
      resolve();
    });
  });
}

const withConfig =
  (action: (config: Config, argv: Flags) => Promise<void>) =>
  (argv: Flags): Promise<void> =>
    action(loadConfig({ flags: argv }), argv);

const options = configOptions();

export const stackCommands: CommandModule[] = [
  {
    command: 'up',
    describe: 'start the stack (docker where an engine answers, else embedded) and wait until it is ready',
    builder: options,
    handler: withConfig(up),
  },
  { command: 'down', describe: 'stop everything that `tally up` started', builder: options, handler: withConfig(down) },
  {
    command: 'status',
    describe: 'show each service, its state and whether it answers',
    builder: options,
    handler: withConfig(status),
  },
  {
    command: 'logs [services..]',
    describe: 'show the logs of the stack (all services, or the ones named), readable on a terminal',
    builder: { ...options, follow: { alias: 'f', type: 'boolean', default: false, describe: 'keep following' } },
    handler: withConfig(async (config, argv) => {
      if ((await chooseStack(config)) === 'docker') {
        await compose(['logs', ...(argv.follow ? ['--follow'] : []), ...((argv.services as string[]) ?? [])]);
        return;
      }
      await followLogs(config.logDir, (argv.services as string[]) ?? [], Boolean(argv.follow));
    }),
  },
  { command: 'psql', describe: "open psql on the stack's PostgreSQL", builder: options, handler: withConfig(psql) },
  {
    command: 'reset',
    describe: 'stop the stack and wipe all of its data',
    builder: options,
    handler: withConfig(reset),
  },
  {
    // Internal: the detached supervisor process that `tally up` starts.
    command: 'supervise',
    describe: false,
    builder: options,
    handler: withConfig((config) => superviseStack(config)),
  },
];
