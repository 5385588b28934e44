import type { Db } from '@baton/db';
import { deleteView, FormErrors, listViews, saveView } from '@baton/form';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { callerOf, requestCtx } from '../ctx.ts';
import { problemResponses } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { formRights, usable } from './forms-permissions.ts';
import { formParams } from './forms-schemas.ts';

// A member's saved views of a record list (GET/PUT/DELETE /api/form-views/:pack/:key). Only someone who may
// see the form at all has views on it; anyone else gets the same 404 as for a form that does not exist.

const tags = ['forms'];
const refusals = problemResponses(400, 401, 403, 404, 409);
const filterView = z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() });
const viewView = z.object({
  id: z.string(),
  name: z.string(),
  spec: z.object({
    filters: z.array(filterView),
    sort: z.array(z.object({ field: z.string(), dir: z.enum(['asc', 'desc']) })),
    columns: z.array(z.string()),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const saveBody = z.strictObject({
  name: z.string().max(60),
  // Checked field by field against the form by the engine (FORM_VIEW_INVALID with paths).
  spec: z.record(z.string(), z.unknown()),
});

const memberOf = (request: FastifyRequest): string => callerOf(request).memberId;

export function formViewsRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  async function visible(request: FastifyRequest, pack: string, key: string) {
    const ctx = requestCtx(request, db);
    if (!request.caller || !usable(await formRights(ctx, request.caller, pack, key))) {
      throw FormErrors.notPublished.create({ form: `${pack}.${key}` });
    }
    return ctx;
  }
  return defineRoutes({
    name: 'form-views',
    prefix: '/form-views',
    register: async (api) => {
      api.get(
        '/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'My saved views of this form’s record list',
            params: formParams,
            response: { 200: z.object({ items: z.array(viewView) }), ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const ctx = await visible(request, pack, key);
          return { items: await listViews(ctx, { memberId: memberOf(request), pack, key }) };
        },
      );

      api.put(
        '/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Save a view under its name (an existing name is replaced)',
            params: formParams,
            body: saveBody,
            response: { 200: viewView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const ctx = await visible(request, pack, key);
          return saveView(ctx, {
            pack,
            key,
            memberId: memberOf(request),
            name: request.body.name,
            spec: request.body.spec as never,
          });
        },
      );

      api.delete(
        '/:pack/:key/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Delete one of my views',
            params: formParams.extend({ id: z.string().min(1).max(64) }),
            response: { 204: z.null(), ...refusals },
          },
        },
        async (request, reply) => {
          const { pack, key, id } = request.params;
          const ctx = await visible(request, pack, key);
          await deleteView(ctx, { memberId: memberOf(request), id });
          return reply.code(204).send(null);
        },
      );
    },
  });
}
