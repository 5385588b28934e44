import { type DbCtx, fromJson, instant, toJson } from '@baton/db';
import { z } from 'zod';
import { IntegrationErrors } from './errors.ts';
import { parseInput } from './validate.ts';

// Public intake (catalog P-105): customers and partners file faults, complaints and surveys from the company
// website or WeChat without an account. An administrator opens an intake on one form, names the fields the
// public may fill and the service account that owns what comes in; submissions are counted per client address
// per hour. The record itself is created by the caller (apps/server) through kernel/form, which validates it.

export type Intake = {
  key: string;
  name: { zh: string; en: string };
  form: { pack: string; key: string };
  fields: string[];
  ownerId: string;
  ratePerHour: number;
  enabled: boolean;
};

const code = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'dotted words such as afterSales.web')
  .max(80);
const saveInput = z.strictObject({
  key: code,
  name: z.strictObject({ zh: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }),
  form: z.strictObject({ pack: z.string().min(1).max(40), key: z.string().min(1).max(40) }),
  fields: z.array(z.string().min(1).max(40)).min(1).max(60),
  ownerId: z.string().min(1).max(64),
  ratePerHour: z.number().int().min(1).max(10_000).default(20),
  enabled: z.boolean().default(true),
});

function toIntake(row: {
  key: string;
  name: unknown;
  formPack: string;
  formKey: string;
  fields: unknown;
  ownerId: string;
  ratePerHour: number;
  enabled: number | boolean;
}): Intake {
  return {
    key: row.key,
    name: fromJson(row.name),
    form: { pack: row.formPack, key: row.formKey },
    fields: fromJson(row.fields),
    ownerId: row.ownerId,
    ratePerHour: Number(row.ratePerHour),
    enabled: Boolean(row.enabled),
  };
}

/** Opens or changes an intake. The caller checks that the form and fields exist and the owner is active. */
export async function saveIntake(ctx: DbCtx, input: z.input<typeof saveInput>): Promise<Intake> {
  const data = parseInput(saveInput, input);
  const now = instant(ctx.clock.now());
  const columns = {
    name: toJson(ctx.db, data.name),
    formPack: data.form.pack,
    formKey: data.form.key,
    fields: toJson(ctx.db, [...new Set(data.fields)]),
    ownerId: data.ownerId,
    ratePerHour: data.ratePerHour,
    enabled: data.enabled,
    updatedAt: now,
  };
  await ctx.db
    .insertInto('baton_integration_intake')
    .values({ key: data.key, ...columns, createdAt: now })
    .onConflict((oc) => oc.column('key').doUpdateSet(columns))
    .execute();
  return { ...data, fields: [...new Set(data.fields)] };
}

export async function listIntakes(ctx: DbCtx): Promise<Intake[]> {
  const rows = await ctx.db.selectFrom('baton_integration_intake').selectAll().orderBy('key').execute();
  return rows.map(toIntake);
}

/** The open intake `key`; INTEGRATION_INTAKE_NOT_FOUND when unknown or closed (the two look the same). */
export async function openIntake(ctx: DbCtx, key: string): Promise<Intake> {
  if (!code.safeParse(key).success) throw IntegrationErrors.intakeNotFound.create({});
  const row = await ctx.db.selectFrom('baton_integration_intake').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row?.enabled) throw IntegrationErrors.intakeNotFound.create({});
  return toIntake(row);
}

/**
 * Counts one submission by `client` (an address key) in the current hour and refuses it with
 * INTEGRATION_INTAKE_RATE_LIMITED above the intake's rate. Run it in a transaction of its own before creating the
 * record, so refused and failed submissions count too.
 */
export async function countIntakeSubmission(ctx: DbCtx, intake: Intake, client: string): Promise<void> {
  const now = ctx.clock.now();
  const windowStart = instant(new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000));
  await ctx.db
    .insertInto('baton_integration_intake_hit')
    .values({ intakeKey: intake.key, client, windowStart, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['intakeKey', 'client', 'windowStart'])
        .doUpdateSet((eb) => ({ count: eb('baton_integration_intake_hit.count', '+', 1) })),
    )
    .execute();
  const row = await ctx.db
    .selectFrom('baton_integration_intake_hit')
    .select('count')
    .where('intakeKey', '=', intake.key)
    .where('client', '=', client)
    .where('windowStart', '=', windowStart)
    .executeTakeFirstOrThrow();
  if (Number(row.count) > intake.ratePerHour) throw IntegrationErrors.intakeRateLimited.create({});
}

/** Keeps only the intake's fields; any other key is refused by name (nothing is silently dropped). */
export function intakeValues(intake: Intake, values: Record<string, unknown>): Record<string, unknown> {
  const allowed = new Set(intake.fields);
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (!allowed.has(field)) throw IntegrationErrors.intakeFieldRefused.create({ field: field.slice(0, 40) });
    out[field] = value;
  }
  return out;
}

/** Drops hour windows older than a day (run hourly by the worker). */
export async function purgeIntakeHits(ctx: DbCtx): Promise<number> {
  const before = instant(new Date(ctx.clock.now().getTime() - 24 * 3_600_000));
  const result = await ctx.db
    .deleteFrom('baton_integration_intake_hit')
    .where('windowStart', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
