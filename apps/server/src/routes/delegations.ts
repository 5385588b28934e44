import { AccessErrors } from '@baton/access';
import type { Db } from '@baton/db';
import { delegate, FlowErrors, getDelegation, listDelegations, revokeDelegation } from '@baton/flow';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { audited, callerOf, requestCtx } from '../ctx.ts';
import type { Caller } from '../gate.ts';
import { refusals } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { FlowPermissions, heldPermissions } from './flows-permissions.ts';

// 委托 (delegation): while a member is away, the tasks created for them go to a colleague. A member manages
// their own; a flow administrator may set one up for someone else (the secretary of an absent director) and
// see anyone's. Every creation and revocation is audited in the same transaction.

const tags = ['flows'];
const id = z.string().min(1).max(64);
const flowKey = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/);

const delegationView = z.object({
  id: z.string(),
  fromMemberId: z.string(),
  toMemberId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  flow: z.object({ pack: z.string(), key: z.string() }).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
});

const createBody = z.strictObject({
  /** Someone else's tasks: only with flow.admin. Default: the caller's. */
  fromMemberId: id.optional(),
  toMemberId: id,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  flow: z.strictObject({ pack: flowKey, key: flowKey }).optional(),
});

const listQuery = z.strictObject({
  /** Another member's delegations: only with flow.admin. */
  memberId: id.optional(),
  includeEnded: z.enum(['true', 'false']).optional(),
});

function delegatorOf(request: FastifyRequest): Caller {
  const caller = callerOf(request);
  // A member made to change their password first may reach only their profile, not hand work over.
  if (caller.mustChangePassword) throw AccessErrors.forbidden.create({ permission: 'authenticated' });
  return caller;
}

export function delegationsRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  return defineRoutes({
    name: 'flow-delegations',
    prefix: '/delegations',
    register: async (api) => {
      api.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Delegations given and received (in force, or all with includeEnded)',
            querystring: listQuery,
            response: { 200: z.object({ items: z.array(delegationView) }), ...refusals },
          },
        },
        async (request) => {
          const caller = delegatorOf(request);
          const ctx = requestCtx(request, db);
          const memberId = request.query.memberId ?? caller.memberId;
          if (memberId !== caller.memberId && !(await heldPermissions(ctx, caller)).has(FlowPermissions.admin)) {
            throw AccessErrors.forbidden.create({ permission: FlowPermissions.admin });
          }
          const items = await listDelegations(ctx, { memberId, includeEnded: request.query.includeEnded === 'true' });
          return { items };
        },
      );

      api.post(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Delegate tasks created between two instants to a colleague',
            body: createBody,
            response: { 201: delegationView, ...refusals },
          },
        },
        async (request, reply) => {
          const caller = delegatorOf(request);
          const body = request.body;
          const created = await audited(
            requestCtx(request, db),
            request,
            async (tx) => {
              const fromMemberId = body.fromMemberId ?? caller.memberId;
              if (fromMemberId !== caller.memberId && !(await heldPermissions(tx, caller)).has(FlowPermissions.admin)) {
                throw AccessErrors.forbidden.create({ permission: FlowPermissions.admin });
              }
              const { id: delegationId } = await delegate(tx, { ...body, fromMemberId });
              return getDelegation(tx, { id: delegationId });
            },
            (row) => ({
              action: 'flow.delegation.create',
              target: { type: 'delegation', id: row.id },
              detail: { from: row.fromMemberId, to: row.toMemberId, startsAt: row.startsAt, endsAt: row.endsAt },
            }),
          );
          return reply.code(201).send(created);
        },
      );

      api.delete(
        '/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Revoke a delegation now (tasks it already routed stay with the delegate)',
            params: z.object({ id }),
            response: { 200: delegationView, ...refusals },
          },
        },
        async (request) => {
          const caller = delegatorOf(request);
          return audited(
            requestCtx(request, db),
            request,
            async (tx) => {
              const existing = await getDelegation(tx, { id: request.params.id }).catch(() => undefined);
              const own =
                existing && (existing.fromMemberId === caller.memberId || existing.createdBy === caller.memberId);
              // Someone else's delegation answers 404 like a missing one: ids must not be probed.
              if (!existing || (!own && !(await heldPermissions(tx, caller)).has(FlowPermissions.admin))) {
                throw FlowErrors.delegationNotFound.create({ id: request.params.id });
              }
              return revokeDelegation(tx, { id: request.params.id });
            },
            (row) => ({
              action: 'flow.delegation.revoke',
              target: { type: 'delegation', id: row.id },
              detail: { from: row.fromMemberId, to: row.toMemberId },
            }),
          );
        },
      );
    },
  });
}
