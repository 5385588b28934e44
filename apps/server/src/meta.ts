import { defaultLocale, locales } from '@baton/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';

const metaSchema = z.object({
  name: z.literal('Baton'),
  version: z.string(),
  locales: z.array(z.enum(locales)),
  defaultLocale: z.enum(locales),
});

/** Routes the shell itself owns under /api: what the web app asks before signing in, and the spec. */
export function shellApiRoutes(version: string): FastifyPluginAsyncZod {
  return async (api) => {
    api.get(
      '/meta',
      {
        config: { policy: 'public' },
        schema: {
          tags: ['meta'],
          summary: 'Server name, version and languages',
          response: { 200: metaSchema },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'no-cache');
        return { name: 'Baton' as const, version, locales: [...locales], defaultLocale };
      },
    );

    api.get('/docs/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.send(api.swagger());
    });
  };
}
