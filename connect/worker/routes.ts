/** Kafka Connect's REST API (the parts a sink-only worker has) as a Fastify plugin. */
import type { FastifyPluginAsync } from 'fastify';
import { CONNECTOR_PLUGINS } from './plugins.ts';
import { type ConnectWorker, WorkerError } from './worker.ts';

const errorReply = {
  type: 'object',
  properties: { error_code: { type: 'integer' }, message: { type: 'string' } },
} as const;
const configMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const connectorInfo = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    config: configMap,
    tasks: {
      type: 'array',
      items: { type: 'object', properties: { connector: { type: 'string' }, task: { type: 'integer' } } },
    },
    type: { type: 'string' },
  },
} as const;
const stateSchema = {
  type: 'object',
  properties: {
    state: { type: 'string' },
    worker_id: { type: 'string' },
    trace: { type: 'string' },
    id: { type: 'integer' },
  },
} as const;
const statusReply = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    connector: stateSchema,
    tasks: { type: 'array', items: stateSchema },
    type: { type: 'string' },
  },
} as const;

type Params = { name: string };

/** Connect stores every config value as a string; numbers and booleans in a body are accepted as such. */
function stringify(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
}

export const connectRoutes: FastifyPluginAsync<{ worker: ConnectWorker }> = async (app, { worker }) => {
  app.setErrorHandler((error, _request, reply) => {
    const status = error instanceof WorkerError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    return reply.code(status).send({ error_code: status, message: (error as Error).message });
  });

  app.get('/', async () => ({ version: '8.0.0-tally', commit: 'tally', kafka_cluster_id: 'tally' }));

  app.get(
    '/connector-plugins',
    {
      schema: {
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { class: { type: 'string' }, type: { type: 'string' }, version: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => CONNECTOR_PLUGINS.map((p) => ({ class: p.className, type: p.type, version: p.version })),
  );

  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', async (request) => {
    const expand = [request.query.expand ?? []].flat();
    if (expand.length === 0) return worker.names();
    return Object.fromEntries(
      worker.names().map((name) => [
        name,
        {
          ...(expand.includes('status') && { status: worker.status(name) }),
          ...(expand.includes('info') && { info: worker.info(name) }),
        },
      ]),
    );
  });

  app.post<{ Body: { name: string; config: Record<string, unknown> } }>(
    '/connectors',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'config'],
          properties: { name: { type: 'string', minLength: 1 }, config: { type: 'object' } },
        },
        response: { 201: connectorInfo, '4xx': errorReply },
      },
    },
    async (request, reply) => {
      const { name, config } = request.body;
      await worker.create(name, stringify(config));
      return reply.code(201).send(worker.info(name));
    },
  );

  app.get<{ Params: Params }>(
    '/connectors/:name',
    { schema: { response: { 200: connectorInfo, '4xx': errorReply } } },
    async (request) => worker.info(request.params.name),
  );

  app.get<{ Params: Params }>(
    '/connectors/:name/config',
    { schema: { response: { 200: configMap, '4xx': errorReply } } },
    async (request) => worker.config(request.params.name),
  );

  app.put<{ Params: Params; Body: Record<string, unknown> }>(
    '/connectors/:name/config',
    { schema: { body: { type: 'object' }, response: { 200: connectorInfo, 201: connectorInfo, '4xx': errorReply } } },
    async (request, reply) => {
      const created = await worker.putConfig(request.params.name, stringify(request.body));
      return reply.code(created ? 201 : 200).send(worker.info(request.params.name));
    },
  );

  app.get<{ Params: Params }>(
    '/connectors/:name/status',
    { schema: { response: { 200: statusReply, '4xx': errorReply } } },
    async (request) => worker.status(request.params.name),
  );

  app.get<{ Params: Params }>('/connectors/:name/tasks', async (request) => {
    const info = worker.info(request.params.name);
    return info.tasks.map((id) => ({ id, config: info.config }));
  });

  app.get<{ Params: Params & { task: string } }>('/connectors/:name/tasks/:task/status', async (request) => {
    const task = worker.status(request.params.name).tasks.find((t) => t.id === Number(request.params.task));
    if (!task) throw new WorkerError(404, `Task ${request.params.name}-${request.params.task} not found`);
    return task;
  });

  app.post<{ Params: Params }>('/connectors/:name/tasks/:task/restart', async (request, reply) => {
    await worker.restart(request.params.name);
    return reply.code(204).send();
  });

  app.post<{ Params: Params; Querystring: { includeTasks?: boolean; onlyFailed?: boolean } }>(
    '/connectors/:name/restart',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { includeTasks: { type: 'boolean' }, onlyFailed: { type: 'boolean' } },
        },
      },
    },
    async (request, reply) => {
      await worker.restart(request.params.name);
      // With includeTasks, Connect answers 202 and the status; without, 204.
      if (request.query.includeTasks) return reply.code(202).send(worker.status(request.params.name));
      return reply.code(204).send();
    },
  );

  app.put<{ Params: Params }>('/connectors/:name/pause', async (request, reply) => {
    await worker.pause(request.params.name);
    return reply.code(202).send();
  });

  app.put<{ Params: Params }>('/connectors/:name/resume', async (request, reply) => {
    await worker.resume(request.params.name);
    return reply.code(202).send();
  });

  app.delete<{ Params: Params }>('/connectors/:name', async (request, reply) => {
    await worker.delete(request.params.name);
    return reply.code(204).send();
  });
};
