import { type DbCtx, fromJson, instant, type OutboxMessage, toJson } from '@baton/db';
import { z } from 'zod';
import { IntegrationErrors } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { findConnectorKind } from './registry.ts';

/** The outbox topic rules write for callConnector: payload `{ connector: name, body }`. */
export const CONNECTOR_TOPIC = 'connector.call';

const nameField = z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'dotted words such as erp.voucher');

export type Connector = { name: string; kind: string; config: unknown; enabled: boolean };

/** Creates or replaces the connector `name` (its config validated by its kind). */
export async function saveConnector(
  ctx: DbCtx,
  input: { name: string; kind: string; config: unknown; enabled?: boolean },
): Promise<Connector> {
  const data = parseInput(
    z.strictObject({ name: nameField, kind: z.string().max(40), config: z.unknown(), enabled: z.boolean().optional() }),
    input,
  );
  const kind = findConnectorKind(data.kind);
  if (!kind) throw IntegrationErrors.connectorKindUnknown.create({ kind: data.kind });
  const config = parseInput(kind.configSchema, data.config);
  kind.check?.(config);
  const now = instant(ctx.clock.now());
  const enabled = data.enabled ?? true;
  await ctx.db
    .insertInto('baton_integration_connector')
    .values({
      name: data.name,
      kind: data.kind,
      config: toJson(ctx.db, config),
      enabled,
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ kind: data.kind, config: toJson(ctx.db, config), enabled, updatedAt: now }),
    )
    .execute();
  return { name: data.name, kind: data.kind, config, enabled };
}

export async function listConnectors(ctx: DbCtx): Promise<Connector[]> {
  const rows = await ctx.db.selectFrom('baton_integration_connector').selectAll().orderBy('name').execute();
  return rows.map((row) => ({
    name: row.name,
    kind: row.kind,
    config: fromJson(row.config),
    enabled: Boolean(row.enabled),
  }));
}

/** The outbox handler of CONNECTOR_TOPIC: runs the named connector; throws (and is retried) on failure. */
export async function deliverConnectorCall(message: OutboxMessage, ctx: DbCtx): Promise<void> {
  const { connector, body } = message.payload as { connector: string; body: unknown };
  const row = await ctx.db
    .selectFrom('baton_integration_connector')
    .selectAll()
    .where('name', '=', String(connector))
    .executeTakeFirst();
  // Unknown or disabled: fail, so the call waits in the retries and then the dead letters for an administrator.
  if (!row?.enabled) throw IntegrationErrors.connectorUnknown.create({ name: String(connector) });
  const kind = findConnectorKind(row.kind);
  if (!kind) throw IntegrationErrors.connectorKindUnknown.create({ kind: row.kind });
  await kind.call(ctx, { config: fromJson(row.config), body, idempotencyKey: message.key });
}
