/**
 * `/assets/*`: the page's CSS and script from web/assets, and htmx with its
 * SSE extension from node_modules under `/assets/vendor/`. Nothing comes from
 * a CDN, so the page works offline and the CSP can say 'self'.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const HTMX_DIST = path.dirname(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'));

/** The vendor files the page loads, and where they live. */
const VENDOR: Record<string, string> = {
  'htmx.min.js': path.join(HTMX_DIST, 'htmx.min.js'),
  'hx-sse.js': path.join(HTMX_DIST, 'ext', 'hx-sse.js'),
};

export const assetRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', index: false, maxAge: '1h' });
  app.get<{ Params: { file: string } }>(
    '/assets/vendor/:file',
    { schema: { params: { type: 'object', properties: { file: { enum: Object.keys(VENDOR) } }, required: ['file'] } } },
    (request, reply) => {
      const file = VENDOR[request.params.file]!;
      return reply.sendFile(path.basename(file), path.dirname(file), { maxAge: '1d' });
    },
  );
};
