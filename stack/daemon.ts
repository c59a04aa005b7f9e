/**
 * The supervisor process (`tally supervise`): starts every service of the
 * embedded stack, or on the docker stack what runs beside its containers
 * (the dashboard and the election), records their state in the run-state
 * file, and stops them all in reverse order on SIGTERM or SIGINT. `tally up`
 * starts it detached.
 */
import type { Config } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { dockerStackServices, embeddedServices } from './embedded.ts';
import { type RunState, writeRunState } from './run-state.ts';
import { Supervisor } from './supervisor.ts';

export async function superviseStack(config: Config): Promise<void> {
  const logger = createLogger('supervisor', { logDir: config.logDir, level: config.logLevel });
  const state: RunState = { pid: process.pid, phase: 'starting', startedAt: new Date().toISOString(), services: [] };
  const save = () => writeRunState(config.runDir, state);
  const supervisor = new Supervisor({
    logDir: config.logDir,
    host: config.host,
    logger,
    onChange: (services) => {
      state.services = services;
      save();
    },
  });
  save();

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping the stack');
      const finalPhase = state.phase === 'failed' ? 'failed' : 'stopped';
      state.phase = 'stopping';
      save();
      await supervisor.stop();
      state.phase = finalPhase;
      save();
      logger.info('stack stopped');
      logger.flush();
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));

  try {
    await supervisor.start(config.stack === 'docker' ? dockerStackServices(config) : embeddedServices(config));
    state.phase = 'running';
    save();
    logger.info('stack running');
  } catch (error) {
    state.phase = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    save();
    logger.error({ err: error }, 'stack failed to start');
    await stop('start failed');
    process.exit(1);
  }
}
