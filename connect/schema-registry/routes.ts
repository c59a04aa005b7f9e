/**
 * Confluent Schema Registry's REST API as a Fastify plugin. Errors answer
 * `{"error_code", "message"}` with the code's HTTP status, as the real
 * registry does, so its clients (serializers, ksqlDB, Connect) behave alike.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ERROR_CODES, RegistryError } from './errors.ts';
import type { SchemaStore } from './schema-store.ts';
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  parseSchema,
  SCHEMA_TYPES,
  type SchemaType,
} from './schema-types.ts';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

const errorReply = {
  type: 'object',
  properties: { error_code: { type: 'integer' }, message: { type: 'string' } },
} as const;
const schemaBody = {
  type: 'object',
  required: ['schema'],
  properties: {
    schema: { type: 'string' },
    schemaType: { type: 'string', enum: ['AVRO', 'JSON', 'PROTOBUF'] },
    references: { type: 'array' },
  },
} as const;
const subjectVersionReply = {
  type: 'object',
  properties: {
    subject: { type: 'string' },
    version: { type: 'integer' },
    id: { type: 'integer' },
    schemaType: { type: 'string' },
    schema: { type: 'string' },
  },
} as const;
const compatibilityBody = {
  type: 'object',
  required: ['compatibility'],
  properties: { compatibility: { type: 'string' } },
} as const;

interface SchemaBody {
  schema: string;
  schemaType?: SchemaType | 'PROTOBUF';
}
type SubjectParams = { subject: string };
type VersionParams = { subject: string; version: string };

function schemaTypeOf(body: SchemaBody): SchemaType {
  const type = body.schemaType ?? 'AVRO';
  if (type === 'PROTOBUF') {
    throw new RegistryError(
      ERROR_CODES.invalidSchema,
      'Invalid schema: PROTOBUF is not supported here; use AVRO or JSON',
    );
  }
  return type;
}

function levelOf(body: { compatibility: string }): CompatibilityLevel {
  const level = body.compatibility.toUpperCase() as CompatibilityLevel;
  if (!COMPATIBILITY_LEVELS.includes(level)) {
    throw new RegistryError(
      ERROR_CODES.invalidCompatibilityLevel,
      `Invalid compatibility level '${body.compatibility}'. Valid values are: ${COMPATIBILITY_LEVELS.join(', ')}`,
    );
  }
  return level;
}

/** The real registry leaves schemaType out for AVRO. */
function withType<T extends { schemaType: SchemaType }>(entry: T) {
  const { schemaType, ...rest } = entry;
  return schemaType === 'AVRO' ? rest : { ...rest, schemaType };
}

export const schemaRegistryRoutes: FastifyPluginAsync<{ store: SchemaStore }> = async (app, { store }) => {
  // Serializers send this media type; it is JSON.
  app.addContentTypeParser(
    /^application\/vnd\.schemaregistry(\.v1)?\+json/,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'ignore'),
  );
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'ignore'),
  );

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof RegistryError) {
      return reply.code(error.httpStatus).send({ error_code: error.errorCode, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = status === 400 ? 42201 : status * 100;
    return reply.code(status === 400 ? 422 : status).send({ error_code: code, message: (error as Error).message });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      reply.header('content-type', REGISTRY_CONTENT_TYPE);
    }
    return payload;
  });

  registerSchemaRoutes(app, store);
  registerSubjectRoutes(app, store);
  registerConfigRoutes(app, store);
};

function registerSchemaRoutes(app: FastifyInstance, store: SchemaStore) {
  app.get('/', async () => ({}));
  app.get(
    '/schemas/types',
    { schema: { response: { 200: { type: 'array', items: { type: 'string' } } } } },
    async () => [...SCHEMA_TYPES],
  );
  app.get<{ Params: { id: string } }>(
    '/schemas/ids/:id',
    {
      schema: {
        response: {
          200: { type: 'object', properties: { schema: { type: 'string' }, schemaType: { type: 'string' } } },
          '4xx': errorReply,
        },
      },
    },
    async (request) => withType(store.getById(Number(request.params.id))),
  );
  app.get<{ Params: { id: string } }>('/schemas/ids/:id/schema', async (request) =>
    JSON.parse(store.getById(Number(request.params.id)).schema),
  );
  const usage = {
    schema: {
      response: {
        200: {
          type: 'array',
          items: { type: 'object', properties: { subject: { type: 'string' }, version: { type: 'integer' } } },
        },
        '4xx': errorReply,
      },
    },
  };
  app.get<{ Params: { id: string } }>('/schemas/ids/:id/versions', usage, async (request) =>
    store.subjectVersionsOfId(Number(request.params.id)),
  );
  app.get<{ Params: { id: string } }>('/schemas/ids/:id/subjects', async (request) => [
    ...new Set(store.subjectVersionsOfId(Number(request.params.id)).map((v) => v.subject)),
  ]);
}

function registerSubjectRoutes(app: FastifyInstance, store: SchemaStore) {
  const deletedQuery = { type: 'object', properties: { deleted: { type: 'boolean' }, permanent: { type: 'boolean' } } };
  app.get<{ Querystring: { deleted?: boolean } }>(
    '/subjects',
    { schema: { querystring: deletedQuery, response: { 200: { type: 'array', items: { type: 'string' } } } } },
    async (request) => store.listSubjects(request.query.deleted ?? false),
  );
  app.get<{ Params: SubjectParams; Querystring: { deleted?: boolean } }>(
    '/subjects/:subject/versions',
    {
      schema: {
        querystring: deletedQuery,
        response: { 200: { type: 'array', items: { type: 'integer' } }, '4xx': errorReply },
      },
    },
    async (request) => {
      const versions = store.versionsOf(request.params.subject, request.query.deleted ?? false);
      if (versions.length === 0)
        throw new RegistryError(ERROR_CODES.subjectNotFound, `Subject '${request.params.subject}' not found.`);
      return versions.map((v) => v.version);
    },
  );
  app.get<{ Params: VersionParams; Querystring: { deleted?: boolean } }>(
    '/subjects/:subject/versions/:version',
    { schema: { querystring: deletedQuery, response: { 200: subjectVersionReply, '4xx': errorReply } } },
    async (request) => {
      const { deleted: _deleted, ...entry } = store.getVersion(
        request.params.subject,
        request.params.version,
        request.query.deleted ?? false,
      );
      return withType(entry);
    },
  );
  app.get<{ Params: VersionParams }>('/subjects/:subject/versions/:version/schema', async (request) =>
    JSON.parse(store.getVersion(request.params.subject, request.params.version).schema),
  );
  app.post<{ Params: SubjectParams; Body: SchemaBody }>(
    '/subjects/:subject/versions',
    {
      schema: {
        body: schemaBody,
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, '4xx': errorReply },
      },
    },
    async (request) => ({
      id: await store.register(request.params.subject, request.body.schema, schemaTypeOf(request.body)),
    }),
  );
  app.post<{ Params: SubjectParams; Body: SchemaBody }>(
    '/subjects/:subject',
    { schema: { body: schemaBody, response: { 200: subjectVersionReply, '4xx': errorReply } } },
    async (request) => {
      const { deleted: _deleted, ...entry } = store.lookup(
        request.params.subject,
        request.body.schema,
        schemaTypeOf(request.body),
      );
      return withType(entry);
    },
  );
  app.delete<{ Params: SubjectParams; Querystring: { permanent?: boolean } }>(
    '/subjects/:subject',
    { schema: { querystring: deletedQuery, response: { 200: { type: 'array', items: { type: 'integer' } } } } },
    async (request) => store.deleteSubject(request.params.subject, request.query.permanent ?? false),
  );
  app.delete<{ Params: VersionParams; Querystring: { permanent?: boolean } }>(
    '/subjects/:subject/versions/:version',
    { schema: { querystring: deletedQuery, response: { 200: { type: 'integer' } } } },
    async (request) =>
      store.deleteVersion(request.params.subject, request.params.version, request.query.permanent ?? false),
  );
  app.post<{ Params: VersionParams; Body: SchemaBody; Querystring: { verbose?: boolean } }>(
    '/compatibility/subjects/:subject/versions/:version',
    {
      schema: {
        body: schemaBody,
        querystring: { type: 'object', properties: { verbose: { type: 'boolean' } } },
        response: {
          200: {
            type: 'object',
            properties: { is_compatible: { type: 'boolean' }, messages: { type: 'array', items: { type: 'string' } } },
          },
          '4xx': errorReply,
        },
      },
    },
    async (request) => {
      const { subject, version } = request.params;
      const candidate = parseSchema(schemaTypeOf(request.body), request.body.schema);
      // A subject with no versions yet accepts anything.
      const against = store.versionsOf(subject).length === 0 ? undefined : store.getVersion(subject, version);
      const problems = against ? store.compatibilityProblemsOf(subject, candidate, against) : [];
      return { is_compatible: problems.length === 0, ...(request.query.verbose && { messages: problems }) };
    },
  );
  app.post<{ Params: SubjectParams; Body: SchemaBody; Querystring: { verbose?: boolean } }>(
    '/compatibility/subjects/:subject/versions',
    { schema: { body: schemaBody } },
    async (request) => {
      const candidate = parseSchema(schemaTypeOf(request.body), request.body.schema);
      const problems = store.compatibilityProblemsOf(request.params.subject, candidate);
      return { is_compatible: problems.length === 0, ...(request.query.verbose && { messages: problems }) };
    },
  );
}

function registerConfigRoutes(app: FastifyInstance, store: SchemaStore) {
  const levelReply = { type: 'object', properties: { compatibilityLevel: { type: 'string' } } };
  const setReply = { type: 'object', properties: { compatibility: { type: 'string' } } };
  app.get('/config', { schema: { response: { 200: levelReply } } }, async () => ({
    compatibilityLevel: store.globalCompatibility(),
  }));
  app.put<{ Body: { compatibility: string } }>(
    '/config',
    { schema: { body: compatibilityBody, response: { 200: setReply, '4xx': errorReply } } },
    async (request) => {
      const level = levelOf(request.body);
      await store.setCompatibility(null, level);
      return { compatibility: level };
    },
  );
  app.get<{ Params: SubjectParams; Querystring: { defaultToGlobal?: boolean } }>(
    '/config/:subject',
    {
      schema: {
        querystring: { type: 'object', properties: { defaultToGlobal: { type: 'boolean' } } },
        response: { 200: levelReply, '4xx': errorReply },
      },
    },
    async (request) => {
      const level = store.subjectCompatibility(request.params.subject);
      if (level) return { compatibilityLevel: level };
      if (request.query.defaultToGlobal) return { compatibilityLevel: store.globalCompatibility() };
      throw new RegistryError(
        ERROR_CODES.subjectLevelCompatibilityNotConfigured,
        `Subject '${request.params.subject}' does not have subject-level compatibility configured`,
      );
    },
  );
  app.put<{ Params: SubjectParams; Body: { compatibility: string } }>(
    '/config/:subject',
    { schema: { body: compatibilityBody, response: { 200: setReply, '4xx': errorReply } } },
    async (request) => {
      const level = levelOf(request.body);
      await store.setCompatibility(request.params.subject, level);
      return { compatibility: level };
    },
  );
  app.delete<{ Params: SubjectParams }>(
    '/config/:subject',
    { schema: { response: { 200: setReply } } },
    async (request) => {
      const level = store.subjectCompatibility(request.params.subject);
      if (!level)
        throw new RegistryError(ERROR_CODES.subjectNotFound, `Subject '${request.params.subject}' not found.`);
      await store.setCompatibility(request.params.subject, null);
      return { compatibility: level };
    },
  );
  app.get('/mode', async () => ({ mode: 'READWRITE' }));
}
