import { clientAddressKey } from '@baton/access';
import { CoreErrors, systemActor } from '@baton/core';
import { type Db, withTx } from '@baton/db';
import { createRecord } from '@baton/form';
import {
  countIntakeSubmission,
  type Intake,
  intakeValues,
  listIntakes,
  openIntake,
  saveIntake,
} from '@baton/integration';
import { getMember } from '@baton/org';
import * as z from 'zod';
import { audited, requestCtx } from '../ctx.ts';
import { problemResponses, problemSchema } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { IntegrationPermissions } from './integration.ts';
import { latestForm } from './latest-form.ts';
import { placementOf } from './placement.ts';

// Public intake forms (catalog P-105): /api/public/intake/:key shows the public fields of one form and takes
// submissions without an account, counted per client address per hour; each becomes a record owned by the
// intake's service account, validated by the form engine like any other. Administrators open intakes under
// /api/integration/intakes. These two public routes are on the allow-list of apps/cli/test/platform.int.test.ts.

const tags = ['integration'];
const refusals = problemResponses(400, 401, 403, 404, 422);
const keyParams = z.strictObject({ key: z.string().min(1).max(80) });
const label = z.object({ zh: z.string(), en: z.string() });
const intakeView = z.object({
  key: z.string(),
  name: label,
  form: z.object({ pack: z.string(), key: z.string() }),
  fields: z.array(z.string()),
  ownerId: z.string(),
  ratePerHour: z.number(),
  enabled: z.boolean(),
});
const publicField = z.object({
  key: z.string(),
  type: z.string(),
  label,
  required: z.boolean(),
  options: z.array(z.object({ code: z.string(), label })).optional(),
});

type FieldDefinition = {
  key: string;
  type: string;
  label: { zh: string; en: string };
  required?: boolean;
  options?: unknown;
};

async function formFields(db: Db, pack: string, key: string): Promise<FieldDefinition[] | undefined> {
  return (await latestForm<{ fields: FieldDefinition[] }>(db, pack, key))?.definition.fields;
}

export function intakeRoutes(options: { db: Db }): RoutePlugin[] {
  const { db } = options;
  const admin = defineRoutes({
    name: 'intakes',
    prefix: '/integration/intakes',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy: IntegrationPermissions.admin },
          schema: {
            tags,
            summary: 'Public intake forms',
            response: { 200: z.object({ intakes: z.array(intakeView) }), ...refusals },
          },
        },
        async (request) => ({ intakes: await listIntakes(requestCtx(request, db)) }),
      );
      app.put(
        '/:key',
        {
          config: { policy: IntegrationPermissions.admin },
          schema: {
            tags,
            summary: 'Open or change a public intake on a form: its public fields, owner and rate (audited)',
            params: keyParams,
            body: z.strictObject({
              name: label,
              form: z.strictObject({ pack: z.string().max(40), key: z.string().max(40) }),
              fields: z.array(z.string().max(40)).max(60),
              ownerId: z.string().max(64),
              ratePerHour: z.number().int().optional(),
              enabled: z.boolean().optional(),
            }),
            response: { 200: intakeView, ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            async (tx) => {
              const body = request.body;
              const fields = await formFields(tx.db, body.form.pack, body.form.key);
              const problems: { path: (string | number)[]; code: string; message: string }[] = [];
              if (!fields) problems.push({ path: ['form'], code: 'not_published', message: 'no published form' });
              const known = new Set((fields ?? []).map((f) => f.key));
              for (const [i, field] of body.fields.entries()) {
                if (fields && !known.has(field))
                  problems.push({ path: ['fields', i], code: 'unknown_field', message: field });
              }
              const owner = await getMember(tx, { id: body.ownerId }).catch(() => undefined);
              if (owner?.status !== 'active')
                problems.push({ path: ['ownerId'], code: 'not_active', message: 'no active member' });
              if (problems.length) throw CoreErrors.validation.create({}, { fields: problems });
              return saveIntake(tx, { key: request.params.key, ...body });
            },
            (intake) => ({
              action: 'integration.intake.save',
              target: { type: 'intake', id: intake.key },
              detail: { form: intake.form, fields: intake.fields, enabled: intake.enabled },
            }),
          ),
      );
    },
  });

  const publicRoutes = defineRoutes({
    name: 'public-intake',
    prefix: '/public/intake',
    register: async (app) => {
      app.get(
        '/:key',
        {
          config: { policy: 'public' },
          schema: {
            tags,
            summary: 'A public intake form: its title and the fields anyone may fill (no sign-in)',
            params: keyParams,
            response: {
              200: z.object({ key: z.string(), name: label, fields: z.array(publicField) }),
              404: problemSchema,
            },
          },
        },
        async (request) => {
          const intake = await openIntake(requestCtx(request, db), request.params.key);
          const fields = (await formFields(db, intake.form.pack, intake.form.key)) ?? [];
          const byKey = new Map(fields.map((f) => [f.key, f]));
          return {
            key: intake.key,
            name: intake.name,
            fields: intake.fields
              .map((key) => byKey.get(key))
              .filter((f): f is FieldDefinition => f !== undefined)
              .map((f) => ({
                key: f.key,
                type: f.type,
                label: f.label,
                required: f.required === true,
                ...(Array.isArray(f.options)
                  ? { options: f.options as { code: string; label: { zh: string; en: string } }[] }
                  : {}),
              })),
          };
        },
      );
      app.post(
        '/:key',
        {
          config: { policy: 'public' },
          schema: {
            tags,
            summary: 'Submit a public intake form (no sign-in; rate-limited per client address)',
            params: keyParams,
            body: z.strictObject({
              values: z.record(z.string().max(40), z.unknown()),
              /** Left empty by people, filled by form-spamming robots (the page hides it). */
              website: z.string().max(500).optional(),
            }),
            response: {
              201: z.object({ id: z.string(), number: z.string().nullable() }),
              202: z.object({ id: z.null(), number: z.null() }),
              400: problemSchema,
              404: problemSchema,
              422: problemSchema,
              429: problemSchema,
            },
          },
        },
        async (request, reply) => {
          const base = { ...requestCtx(request, db), actor: systemActor('intake') };
          const intake: Intake = await openIntake(base, request.params.key);
          // Counted in its own transaction, so refused and invalid submissions count too.
          await withTx(base, (tx) => countIntakeSubmission(tx, intake, clientAddressKey(request.ip) ?? 'unknown'));
          if (request.body.website) return reply.code(202).send({ id: null, number: null });
          const values = intakeValues(intake, request.body.values);
          const record = await withTx({ ...base, actor: { kind: 'member', memberId: intake.ownerId } }, async (tx) =>
            createRecord(
              tx,
              { pack: intake.form.pack, key: intake.form.key, values },
              { context: await placementOf(tx, intake.ownerId) },
            ),
          );
          const fields = (await formFields(db, intake.form.pack, intake.form.key)) ?? [];
          const serial = fields.find((f) => f.type === 'serial');
          const number = serial ? record.values[serial.key] : undefined;
          return reply.code(201).send({ id: record.id, number: typeof number === 'string' ? number : null });
        },
      );
    },
  });
  return [admin, publicRoutes];
}
