/**
 * The election's fragment routes, fetched by htmx from the page:
 * - `GET /regions/:id`: a region's constituencies, turnout and results (the drill-down);
 * - `GET /stations?q&region&sort&dir&page`: a page of polling stations, filtered and sorted.
 * Parameters are validated by the schemas below; a bad one is a 400 naming it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Dashboard } from '../panels/dashboard.ts';
import { ElectionQueries, type SortDirection, STATION_SORTS, type StationSort } from '../panels/election/queries.ts';
import { STATIONS_PAGE_SIZE, stationsResults } from '../panels/election/stations.ts';
import { regionDetail } from '../panels/election/turnout.ts';
import { html } from '../views/html.ts';

export interface FragmentRoutesOptions {
  dashboard: Dashboard;
}

const ID = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } as const;

interface StationsQuerystring {
  q?: string;
  region?: string;
  sort?: StationSort;
  dir?: SortDirection;
  page?: number;
}

export const fragmentRoutes: FastifyPluginAsync<FragmentRoutesOptions> = async (app, { dashboard }) => {
  const queries = async () =>
    new ElectionQueries(dashboard.db, dashboard.schema, new Set((await dashboard.tables()).map((t) => t.name)));

  app.get<{ Params: { id: string } }>(
    '/regions/:id',
    { schema: { params: { type: 'object', properties: { id: ID }, required: ['id'] } } },
    async (request, reply) => {
      const q = await queries();
      const id = request.params.id;
      const [name, rows] = await Promise.all([q.regionName(id), q.regionResults(id)]);
      reply.type('text/html; charset=utf-8');
      if (name === null && rows.length === 0) {
        return reply.code(404).send(html`<p class="error">No region ${id} (yet).</p>`.value);
      }
      return reply.send(regionDetail(id, name, rows).value);
    },
  );

  app.get<{ Querystring: StationsQuerystring }>(
    '/stations',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 100 },
            region: { anyOf: [{ type: 'string', maxLength: 0 }, ID] },
            sort: { enum: [...STATION_SORTS] },
            dir: { enum: ['asc', 'desc'] },
            page: { type: 'integer', minimum: 1, maximum: 100_000 },
          },
        },
      },
    },
    async (request, reply) => {
      const q = await queries();
      const query = { ...request.query, pageSize: STATIONS_PAGE_SIZE };
      const page = await q.stations(query);
      return reply.type('text/html; charset=utf-8').send(stationsResults(page, request.query).value);
    },
  );
};
