/** `/`: the whole page, rendered on the server; `/panels/:name`: one panel's fragment (a live panel's key or a table). */
import type { FastifyPluginAsync } from 'fastify';
import type { Dashboard } from '../panels/dashboard.ts';
import { html } from '../views/html.ts';
import { page, panelFrame } from '../views/page.ts';

export interface PageRoutesOptions {
  dashboard: Dashboard;
}

export const pageRoutes: FastifyPluginAsync<PageRoutesOptions> = async (app, { dashboard }) => {
  app.get('/', async (_request, reply) => {
    const { panels } = await dashboard.renderAll();
    return reply.type('text/html; charset=utf-8').send(page(panels, { schema: dashboard.schema }).value);
  });

  app.get<{ Params: { name: string } }>(
    '/panels/:name',
    {
      schema: {
        // PostgreSQL identifiers are at most 63 bytes.
        params: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, maxLength: 63 } },
          required: ['name'],
        },
      },
    },
    async (request, reply) => {
      const panel = await dashboard.renderPanel(request.params.name);
      reply.type('text/html; charset=utf-8');
      if (!panel) {
        return reply
          .code(404)
          .send(html`<p class="error">No table named ${request.params.name} in schema ${dashboard.schema}.</p>`.value);
      }
      return reply.send(panelFrame(panel).value);
    },
  );
};
