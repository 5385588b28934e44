import { AccessErrors, accessOf, permissionsOf } from '@baton/access';
import { type Db, type DbCtx, fromJson } from '@baton/db';
import {
  createRecord,
  type FormDefinition,
  type FormDefinitionInput,
  FormErrors,
  getRecord,
  listRecords,
  previewPublish,
  publishForm,
  type RecordContext,
  reassignRecord,
  searchReferences,
  updateRecord,
  type Viewer,
  viewerFieldAccess,
  voidRecord,
} from '@baton/form';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audited, callerOf, requestCtx } from '../ctx.ts';
import { problemResponses, refusals } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import {
  declareFormPermissions,
  FormPermissions,
  type FormRights,
  formPermission,
  formRights,
  principalOf,
  rightsFrom,
  usable,
} from './forms-permissions.ts';
import {
  definitionBody,
  formDetailView,
  formListView,
  formParams,
  pageView,
  planView,
  publishView,
  queryBody,
  reassignBody,
  reassignView,
  recordParams,
  recordView,
  updateBody,
  valuesBody,
  versionListView,
  versionQuery,
  voidBody,
  voidView,
} from './forms-schemas.ts';
import { latestForm } from './latest-form.ts';
import { placementOf } from './placement.ts';
import { registerRecordsIo } from './records-io.ts';

// The forms REST API (mounted at /api/forms): definitions for designers (form.design), records for members.
// Which forms and records a caller reaches comes from per-form permissions (forms-permissions.ts, ADR 0004),
// turned into a kernel/form Viewer so scopes are SQL and field access applies to values. A form or record
// outside the caller's reach is 404, never 403, so existence does not leak. Also mounts records import/export.

const tags = ['forms'];
const writeRefusals = { ...refusals, ...problemResponses(409) };

export type FormsRoutesOptions = { db: Db };

type Label = { zh: string; en: string };
type StoredDefinition = { pack: string; key: string; kind: string; label: Label } & Record<string, unknown>;

function notFound(pack: string, key: string) {
  return FormErrors.notPublished.create({ form: `${pack}.${key}` });
}

/** Where the caller sits in the organisation: feeds defaults, the record's owner/department/unit and `me.*`. */
/** A Viewer for reads (read scopes) or writes (write scopes); grants on `pack.key` always count. */
function viewerOf(context: RecordContext, rights: FormRights, access: 'read' | 'write'): Viewer {
  return {
    memberId: context.memberId as string,
    scopes: access === 'read' ? rights.read : rights.write,
    grants: true,
    ...(context.departmentId ? { departmentId: context.departmentId } : {}),
    ...(context.unitId ? { unitId: context.unitId } : {}),
  };
}

/** The form a reference field (`field` or `subtable.column`) points at, read from the current definition. */
async function referenceTarget(ctx: DbCtx, pack: string, key: string, path: string) {
  type Field = { key: string; type: string; form?: string | { pack: string; key: string } };
  const latest = await latestForm<{ fields?: Field[]; subtables?: { key: string; columns?: Field[] }[] }>(
    ctx.db,
    pack,
    key,
  );
  if (!latest) return undefined;
  const def = latest.definition;
  const [first, second] = path.split('.');
  const fields = second === undefined ? def.fields : def.subtables?.find((sub) => sub.key === first)?.columns;
  const field = fields?.find((candidate) => candidate.key === (second ?? first));
  if (field?.type !== 'reference' || !field.form) return undefined;
  if (typeof field.form === 'string') {
    const [targetPack, targetKey] = field.form.split('.');
    return targetPack && targetKey ? { pack: targetPack, key: targetKey } : undefined;
  }
  return field.form;
}

const referenceParams = z.strictObject({
  pack: formParams.shape.pack,
  key: formParams.shape.key,
  field: z.string().min(1).max(81),
});
const referenceQuery = z.strictObject({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const referenceView = z.object({
  options: z.array(z.object({ id: z.string(), display: z.unknown(), fill: z.record(z.string(), z.unknown()) })),
});

export function formsRoutes({ db }: FormsRoutesOptions): RoutePlugin {
  /** Rights and placement of the caller on one form; 404 when the form is not published. */
  async function access(request: FastifyRequest, pack: string, key: string) {
    const ctx = requestCtx(request, db);
    const caller = callerOf(request);
    const exists = await ctx.db
      .selectFrom('baton_form_definition')
      .select('version')
      .where('pack', '=', pack)
      .where('key', '=', key)
      .limit(1)
      .executeTakeFirst();
    if (!exists) throw notFound(pack, key);
    const rights = await formRights(ctx, caller, pack, key);
    const context = await placementOf(ctx, caller.memberId);
    return { ctx, rights, context };
  }

  /** An audited change to one record (`form.record.<verb>`), made within the caller's write scopes. */
  async function changeRecord<T>(
    request: FastifyRequest,
    { pack, key, id }: { pack: string; key: string; id: string },
    verb: 'reassign' | 'void',
    change: (tx: DbCtx, viewer: Viewer) => Promise<T>,
    detail: (result: T) => unknown,
  ): Promise<T> {
    const { ctx, rights, context } = await access(request, pack, key);
    return audited(
      ctx,
      request,
      (tx) => change(tx, viewerOf(context, rights, 'write')),
      (result) => ({
        action: `form.record.${verb}`,
        target: { type: `form:${pack}.${key}`, id },
        detail: detail(result),
      }),
    );
  }

  return defineRoutes({
    name: 'forms',
    prefix: '/forms',
    register: async (app) => {
      // Per-form permissions exist only once declared: declare every published form's at start, so roles
      // granted them keep them across restarts and an administrator can grant them before anyone opens the form.
      const published = await db.selectFrom('baton_form_definition').select(['pack', 'key']).distinct().execute();
      for (const form of published) declareFormPermissions(form.pack, form.key);

      // Import/export (records-io.ts) shares the /forms prefix, so it lives inside this plugin.
      await registerRecordsIo(app as unknown as FastifyInstance, {
        db,
        viewerFor: async (request, pack, key, mode) => {
          const { rights, context } = await access(request, pack, key);
          // Importing creates records; exporting reads them: without that right the form does not exist here.
          if (mode === 'write' ? !rights.create : rights.read.length === 0) throw notFound(pack, key);
          return viewerOf(context, rights, mode);
        },
      });

      // ---- definitions ------------------------------------------------------------------------

      app.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Published forms the caller may use (latest versions)',
            response: { 200: formListView, ...refusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const rows = await ctx.db
            .selectFrom('baton_form_definition')
            .select(['pack', 'key', 'version', 'definition'])
            .orderBy('pack')
            .orderBy('key')
            .orderBy('version', 'desc')
            .execute();
          const latest = new Map<string, (typeof rows)[number]>();
          for (const row of rows) {
            declareFormPermissions(row.pack, row.key);
            if (!latest.has(`${row.pack}.${row.key}`)) latest.set(`${row.pack}.${row.key}`, row);
          }
          const held = await permissionsOf(ctx, principalOf(callerOf(request)));
          const forms = [];
          for (const row of latest.values()) {
            if (!usable(rightsFrom(held, row.pack, row.key))) continue;
            const def = fromJson<StoredDefinition>(row.definition);
            forms.push({ pack: row.pack, key: row.key, version: Number(row.version), kind: def.kind, name: def.label });
          }
          return { forms };
        },
      );

      app.post(
        '/preview',
        {
          config: { policy: FormPermissions.design },
          schema: {
            tags,
            summary: 'The publish plan of a definition: tables and columns to create, keep, hide or convert',
            body: definitionBody,
            response: { 200: planView, ...writeRefusals },
          },
        },
        async (request) => previewPublish(requestCtx(request, db), request.body as FormDefinitionInput),
      );

      app.post(
        '/',
        {
          config: { policy: FormPermissions.design },
          schema: {
            tags,
            summary: 'Publish a definition as the next version; creates or migrates its tables (audited)',
            body: definitionBody,
            response: { 200: publishView, ...writeRefusals },
          },
        },
        async (request) => {
          const result = await audited(
            requestCtx(request, db),
            request,
            (tx) => publishForm(tx, request.body as FormDefinitionInput),
            ({ pack, key, version, hash, unchanged }) => ({
              action: 'form.definition.publish',
              target: { type: 'form', id: `${pack}.${key}` },
              detail: { version, hash, unchanged },
            }),
          );
          declareFormPermissions(result.pack, result.key);
          return result;
        },
      );

      app.get(
        '/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The published definition (latest, or ?version=n) and the caller’s rights on it',
            params: formParams,
            querystring: versionQuery,
            response: { 200: formDetailView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const { ctx, rights } = await access(request, pack, key);
          if (!usable(rights)) throw notFound(pack, key);
          let query = ctx.db
            .selectFrom('baton_form_definition')
            .select(['version', 'definition', 'publishedAt'])
            .where('pack', '=', pack)
            .where('key', '=', key);
          query =
            request.query.version === undefined
              ? query.orderBy('version', 'desc').limit(1)
              : query.where('version', '=', request.query.version);
          const row = await query.executeTakeFirst();
          if (!row) throw notFound(pack, key);
          const definition = fromJson<FormDefinition>(row.definition);
          const fields = await viewerFieldAccess(ctx, definition, { memberId: callerOf(request).memberId, scopes: [] });
          const keys = [
            ...definition.fields.map((field) => field.key),
            ...(definition.subtables ?? []).map((sub) => sub.key),
          ];
          return {
            definition: definition as unknown as Record<string, unknown>,
            version: Number(row.version),
            publishedAt: String(row.publishedAt),
            rights,
            fieldAccess: Object.fromEntries(keys.map((key) => [key, fields ? accessOf(fields, key) : 'edit'])),
          };
        },
      );

      app.get(
        '/:pack/:key/versions',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Every published version of a form, newest first',
            params: formParams,
            response: { 200: versionListView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const { ctx, rights } = await access(request, pack, key);
          if (!usable(rights)) throw notFound(pack, key);
          const rows = await ctx.db
            .selectFrom('baton_form_definition')
            .select(['version', 'hash', 'publishedAt', 'publishedBy'])
            .where('pack', '=', pack)
            .where('key', '=', key)
            .orderBy('version', 'desc')
            .execute();
          return {
            versions: rows.map((row) => ({
              version: Number(row.version),
              hash: row.hash,
              publishedAt: String(row.publishedAt),
              publishedBy: row.publishedBy,
            })),
          };
        },
      );

      // ---- records ----------------------------------------------------------------------------

      app.post(
        '/:pack/:key/records',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Create a record (formula, serial and moneyUpper values sent are ignored and recomputed)',
            params: formParams,
            body: valuesBody,
            response: { 201: recordView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const { pack, key } = request.params;
          const { ctx, rights, context } = await access(request, pack, key);
          if (!usable(rights)) throw notFound(pack, key);
          if (!rights.create) throw AccessErrors.forbidden.create({ permission: formPermission(pack, key, 'create') });
          const record = await createRecord(
            ctx,
            { pack, key, values: request.body.values },
            { context, viewer: viewerOf(context, rights, 'write') },
          );
          return reply.code(201).send(record);
        },
      );

      app.get(
        '/:pack/:key/references/:field',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Records a reference field may point at (the picker), within the caller’s scopes on the target',
            params: referenceParams,
            querystring: referenceQuery,
            response: { 200: referenceView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key, field } = request.params;
          const { ctx, rights, context } = await access(request, pack, key);
          // Only someone who may fill in or change records of this form needs the picker.
          if (!rights.create && rights.write.length === 0) throw notFound(pack, key);
          const target = await referenceTarget(ctx, pack, key, field);
          const targetRights = target ? await formRights(ctx, callerOf(request), target.pack, target.key) : undefined;
          const viewer: Viewer = {
            ...viewerOf(context, rights, 'write'),
            targets: target ? { [`${target.pack}.${target.key}`]: targetRights?.read ?? [] } : {},
          };
          const options = await searchReferences(
            ctx,
            { pack, key, field, ...(request.query.q ? { q: request.query.q } : {}), limit: request.query.limit ?? 20 },
            { viewer, context },
          );
          return { options };
        },
      );

      app.post(
        '/:pack/:key/records/query',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Records inside the caller’s scopes, filtered and sorted on declared fields, paged by cursor',
            params: formParams,
            body: queryBody,
            response: { 200: pageView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const { ctx, rights, context } = await access(request, pack, key);
          const { sorts, ...rest } = request.body;
          return listRecords(
            ctx,
            { pack, key, ...rest, ...(sorts ? { sort: sorts } : {}) },
            { viewer: viewerOf(context, rights, 'read') },
          );
        },
      );

      app.get(
        '/:pack/:key/records/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary:
              'One record with its subtables (404 when outside the caller’s scopes); `writable`: whether the caller may change it',
            params: recordParams,
            response: { 200: recordView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key, id } = request.params;
          const { ctx, rights, context } = await access(request, pack, key);
          return getRecord(
            ctx,
            { pack, key, id },
            { viewer: viewerOf(context, rights, 'read'), writer: viewerOf(context, rights, 'write') },
          );
        },
      );

      app.patch(
        '/:pack/:key/records/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Change the fields sent (optimistic version: stale → 409)',
            params: recordParams,
            body: updateBody,
            response: { 200: recordView, ...writeRefusals },
          },
        },
        async (request) => {
          const { pack, key, id } = request.params;
          const { ctx, rights, context } = await access(request, pack, key);
          return updateRecord(
            ctx,
            { pack, key, id, version: request.body.version, values: request.body.values },
            { context, viewer: viewerOf(context, rights, 'write') },
          );
        },
      );

      app.post(
        '/:pack/:key/records/:id/reassign',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Hand a record to another owner (转交): its department and unit follow (audited)',
            params: recordParams,
            body: reassignBody,
            response: { 200: reassignView, ...writeRefusals },
          },
        },
        async (request) =>
          changeRecord(
            request,
            request.params,
            'reassign',
            (tx, viewer) => reassignRecord(tx, { ...request.params, ...request.body }, { viewer }),
            ({ from, to, version }) => ({ from, to, version }),
          ),
      );

      app.post(
        '/:pack/:key/records/:id/void',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Void a record (作废): kept, left out of lists, no longer editable (audited)',
            params: recordParams,
            body: voidBody,
            response: { 200: voidView, ...writeRefusals },
          },
        },
        async (request) =>
          changeRecord(
            request,
            request.params,
            'void',
            (tx, viewer) => voidRecord(tx, { ...request.params, version: request.body.version }, { viewer }),
            ({ version }) => ({ version, reason: request.body.reason ?? null }),
          ),
      );
    },
  });
}
