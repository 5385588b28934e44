import { definePermission } from '@baton/access';
import type { Db } from '@baton/db';
import {
  allowHost,
  createWebhook,
  deleteWebhook,
  disallowHost,
  listAllowedHosts,
  listConnectorKinds,
  listConnectors,
  listWebhooks,
  saveConnector,
  setWebhookEnabled,
} from '@baton/integration';
import * as z from 'zod';
import { audited, requestCtx } from '../ctx.ts';
import { problemResponses } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';

// Administration of Baton's calls to other systems (mounted at /api/integration): which inward hosts outbound
// calls may reach, webhook subscriptions, connectors. One permission for all of it; every write is audited in
// its own transaction. Connector configurations may hold other systems' keys, so they are never sent back.

export const IntegrationPermissions = {
  admin: definePermission('integration.admin', {
    zh: '管理集成：Webhook、连接器与允许访问的内网主机',
    en: 'Manage integration: webhooks, connectors and allowed inward hosts',
  }) as Permission,
} as const;

const tags = ['integration'];
const refusals = problemResponses(400, 401, 403, 404, 422);
const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const hostParams = z.strictObject({ host: z.string().min(1).max(255) });
const webhookView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const hostView = z.object({ host: z.string(), note: z.string().nullable(), createdAt: z.string() });
const connectorView = z.object({ name: z.string(), kind: z.string(), enabled: z.boolean() });

export function integrationRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  const policy = IntegrationPermissions.admin;
  return defineRoutes({
    name: 'integration',
    prefix: '/integration',
    register: async (app) => {
      app.get(
        '/allowed-hosts',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Inward hosts that outbound calls may reach',
            response: { 200: z.object({ hosts: z.array(hostView) }), ...refusals },
          },
        },
        async (request) => {
          const rows = await listAllowedHosts(requestCtx(request, db));
          return { hosts: rows.map((r) => ({ host: r.host, note: r.note, createdAt: r.createdAt })) };
        },
      );
      app.post(
        '/allowed-hosts',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Allow outbound calls to an inward host (audited)',
            body: z.strictObject({ host: z.string().max(255), note: z.string().max(500).optional() }),
            response: { 200: z.object({ host: z.string() }), ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => allowHost(tx, request.body),
            ({ host }) => ({
              action: 'integration.host.allow',
              target: { type: 'host', id: host },
              detail: { note: request.body.note ?? null },
            }),
          ),
      );
      app.delete(
        '/allowed-hosts/:host',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Withdraw an allowed host (audited)',
            params: hostParams,
            response: { 200: z.object({ removed: z.boolean() }), ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            async (tx) => ({ removed: await disallowHost(tx, { host: request.params.host }) }),
            ({ removed }) => ({
              action: 'integration.host.disallow',
              target: { type: 'host', id: request.params.host },
              detail: { removed },
            }),
          ),
      );

      app.get(
        '/webhooks',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Webhook subscriptions',
            response: { 200: z.object({ webhooks: z.array(webhookView) }), ...refusals },
          },
        },
        async (request) => ({ webhooks: await listWebhooks(requestCtx(request, db)) }),
      );
      app.post(
        '/webhooks',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Subscribe a URL to events; the signing secret is in this answer only (audited)',
            body: z.strictObject({
              name: z.string().max(100),
              url: z.string().max(2000),
              events: z.array(z.string().max(64)).max(50),
              enabled: z.boolean().optional(),
            }),
            response: { 201: webhookView.extend({ secret: z.string() }), ...refusals },
          },
        },
        async (request, reply) => {
          const created = await audited(
            requestCtx(request, db),
            request,
            (tx) => createWebhook(tx, request.body),
            (webhook) => ({
              action: 'integration.webhook.create',
              target: { type: 'webhook', id: webhook.id },
              detail: { name: webhook.name, url: webhook.url, events: webhook.events },
            }),
          );
          return reply.code(201).send(created);
        },
      );
      app.patch(
        '/webhooks/:id',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Pause or resume a webhook (audited)',
            params: idParams,
            body: z.strictObject({ enabled: z.boolean() }),
            response: { 200: webhookView, ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => setWebhookEnabled(tx, { id: request.params.id, enabled: request.body.enabled }),
            (webhook) => ({
              action: 'integration.webhook.update',
              target: { type: 'webhook', id: webhook.id },
              detail: { enabled: webhook.enabled },
            }),
          ),
      );
      app.delete(
        '/webhooks/:id',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Delete a webhook; queued deliveries are dropped (audited)',
            params: idParams,
            response: { 204: z.null(), ...refusals },
          },
        },
        async (request, reply) => {
          await audited(
            requestCtx(request, db),
            request,
            (tx) => deleteWebhook(tx, { id: request.params.id }),
            () => ({ action: 'integration.webhook.delete', target: { type: 'webhook', id: request.params.id } }),
          );
          return reply.code(204).send(null);
        },
      );

      app.get(
        '/connectors',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Configured connectors (without their configuration, which may hold keys) and the kinds available',
            response: {
              200: z.object({
                connectors: z.array(connectorView),
                kinds: z.array(z.object({ kind: z.string(), label: z.object({ zh: z.string(), en: z.string() }) })),
              }),
              ...refusals,
            },
          },
        },
        async (request) => ({
          connectors: (await listConnectors(requestCtx(request, db))).map(({ name, kind, enabled }) => ({
            name,
            kind,
            enabled,
          })),
          kinds: listConnectorKinds().map(({ kind, label }) => ({ kind, label })),
        }),
      );
      app.put(
        '/connectors/:name',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Create or replace a connector; its configuration is checked by its kind (audited)',
            params: z.strictObject({ name: z.string().min(1).max(100) }),
            body: z.strictObject({ kind: z.string().max(40), config: z.unknown(), enabled: z.boolean().optional() }),
            response: { 200: connectorView, ...refusals },
          },
        },
        async (request) => {
          const { name, kind, enabled } = await audited(
            requestCtx(request, db),
            request,
            (tx) => saveConnector(tx, { name: request.params.name, ...request.body }),
            (saved) => ({
              action: 'integration.connector.save',
              target: { type: 'connector', id: saved.name },
              detail: { kind: saved.kind, enabled: saved.enabled },
            }),
          );
          return { name, kind, enabled };
        },
      );
    },
  });
}
