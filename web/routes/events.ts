/**
 * `/events`: one SSE stream per page (htmx 4's `hx-sse:connect`). Each
 * message is HTML with hx-swap-oob fragments; see live/hub.ts for ids and
 * what a reconnect receives.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LiveHub } from '../live/hub.ts';

export interface EventRoutesOptions {
  hub: LiveHub;
}

export const eventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, { hub }) => {
  app.get('/events', { sse: { kind: 'only', serializer: String } }, async (request, reply) => {
    reply.sse.keepAlive();
    const unsubscribe = await hub.connect((message) => {
      if (!reply.sse.isConnected) return;
      reply.sse.send({ id: message.id, data: message.data }).catch((error: unknown) => {
        request.log.debug({ err: error }, 'SSE send failed');
      });
    });
    reply.sse.onClose(unsubscribe);
    if (!reply.sse.isConnected) unsubscribe();
  });
};
