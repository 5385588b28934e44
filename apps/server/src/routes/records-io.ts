import { consumeQuota, definePermission } from '@baton/access';
import { type Db, withTx } from '@baton/db';
import { exportRecords, importRecords, type Locale, type RecordImportReport, type Viewer } from '@baton/form';
import { getDepartment, getMember } from '@baton/org';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { problemResponses } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';
import { SheetErrors } from '../sheets/errors.ts';
import { orgSheetRefs } from '../sheets/org-refs.ts';
import { readUpload } from '../sheets/read.ts';
import { primed } from '../sheets/sheets.ts';
import { acceptSheetUploads, importFiles, uploadedFiles } from '../sheets/upload.ts';
import { type SheetFormat, sendSheets } from '../sheets/write.ts';
import { recordFilters, recordSorts } from './forms-schemas.ts';
import { dryRunQuery, importReportView } from './org-import.ts';

// Import and export of archive-form records as .xlsx / .csv:
//   POST /api/forms/:pack/:key/records/import?dryRun=true|false   (multipart, one sheet)
//   GET|POST /api/forms/:pack/:key/records/export?format=xlsx|csv (POST body: listRecords filters and sorts)
// Until the forms API brings per-form permissions, two function permissions guard them, over every
// archive form: whoever holds them reads (export) or writes (import) all records of the form.

export const RecordsIoPermissions = {
  import: definePermission('form.record.import', {
    zh: '导入档案表单记录',
    en: 'Import archive form records',
  }) as Permission,
  export: definePermission('form.record.export', {
    zh: '导出表单记录',
    en: 'Export form records',
  }) as Permission,
} as const;

const tags = ['forms'];
const refusals = problemResponses(400, 401, 403, 404, 413, 422);
const formParams = z.strictObject({
  pack: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
});
const exportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  includeVoided: z.enum(['true', 'false']).default('false'),
});
const exportBody = z.strictObject({ filters: recordFilters, sort: recordSorts }).optional();

export type RecordsIoRoutesOptions = {
  db: Db;
  /**
   * The caller's Viewer on a form, so exports and imports stay inside the caller's record scopes (the forms
   * API supplies it from per-form rights). Without it the routes serve only the permission holders' whole form.
   */
  viewerFor?: (request: FastifyRequest, pack: string, key: string, access: 'read' | 'write') => Promise<Viewer>;
  /** Exports per member per window (default 30 an hour): a whole-table export is the costliest read there is. */
  exportQuota?: { limit: number; windowMs: number };
};

const DEFAULT_EXPORT_QUOTA = { limit: 30, windowMs: 3_600_000 };

const localeOf = (request: FastifyRequest): Locale => (request.locale === 'en-US' ? 'en-US' : 'zh-CN');

/** Registers the routes on a plugin whose prefix is /forms (on its own or inside the forms API). */
export async function registerRecordsIo(app: FastifyInstance, options: RecordsIoRoutesOptions): Promise<void> {
  const { db, viewerFor } = options;
  const refs = orgSheetRefs();
  await acceptSheetUploads(app);
  const typed = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();

  typed.post(
    '/:pack/:key/records/import',
    {
      config: { policy: RecordsIoPermissions.import },
      schema: {
        tags,
        summary: 'Import archive records from one .xlsx sheet or .csv file; dry run by default',
        consumes: ['multipart/form-data'],
        params: formParams,
        querystring: dryRunQuery,
        response: { 200: importReportView, ...refusals },
      },
    },
    async (request): Promise<RecordImportReport> => {
      const { pack, key } = request.params;
      const dryRun = request.query.dryRun === 'true';
      const files = await uploadedFiles(request);
      const sheets = [];
      for (const file of files) sheets.push(...(await readUpload(file)));
      const filled = sheets.filter((s) => s.rows.length > 0);
      if (filled.length > 1) {
        throw SheetErrors.sheetUnknown.create({ sheet: filled[1]?.name ?? '', expected: 'one sheet of records' });
      }
      const rows = filled[0]?.rows ?? [];
      const ctx = requestCtx(request, db);
      const memberId = request.caller?.memberId;
      const member = memberId ? await getMember(ctx, { id: memberId }).catch(() => undefined) : undefined;
      const department = member
        ? await getDepartment(ctx, { id: member.mainDepartmentId }).catch(() => undefined)
        : undefined;
      const viewer = viewerFor ? await viewerFor(request, pack, key, 'write') : undefined;
      const options = {
        refs,
        dryRun,
        ...(viewer ? { viewer } : {}),
        write: { context: { memberId, departmentId: department?.id, unitId: department?.unitId } },
      };
      const input = { pack, key, rows, locale: localeOf(request) };
      const audit = { action: 'form.record.import', target: { type: 'form', id: `${pack}.${key}` } };
      return importFiles(ctx, request, { files, dryRun, audit }, (tx) => importRecords(tx, input, options));
    },
  );

  const exportHandler = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: { pack: string; key: string },
    query: { format: SheetFormat; includeVoided: 'true' | 'false' },
    body: z.output<typeof exportBody>,
  ) => {
    const ctx = requestCtx(request, db);
    const locale = localeOf(request);
    const viewer = viewerFor ? await viewerFor(request, params.pack, params.key, 'read') : undefined;
    // Counted after the access check, so probing forms one may not read spends nothing.
    const quota = options.exportQuota ?? DEFAULT_EXPORT_QUOTA;
    await withTx(ctx, (tx) =>
      consumeQuota(tx, { name: 'export', who: request.caller?.memberId ?? request.ip, ...quota }),
    );
    const { columns, rows, total } = await exportRecords(
      ctx,
      { ...params, ...body, includeVoided: query.includeVoided === 'true', locale },
      { refs, ...(viewer ? { viewer } : {}) },
    );
    const stamp = request.server.clock.now().toISOString().slice(0, 10);
    return sendSheets(reply, {
      filename: `${params.pack}-${params.key}-${stamp}`,
      format: query.format,
      sheets: [{ name: params.key, columns, rows: await primed(rows), total }],
    });
  };

  const exportSchema = {
    tags,
    summary: 'Export the records of a list (filters and sorts as listRecords) as .xlsx or .csv',
    params: formParams,
    querystring: exportQuery,
    produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
    response: refusals,
  };
  typed.get(
    '/:pack/:key/records/export',
    { config: { policy: RecordsIoPermissions.export }, schema: exportSchema },
    async (request, reply) => exportHandler(request, reply, request.params, request.query, undefined),
  );
  typed.post(
    '/:pack/:key/records/export',
    { config: { policy: RecordsIoPermissions.export }, schema: { ...exportSchema, body: exportBody } },
    async (request, reply) => exportHandler(request, reply, request.params, request.query, request.body),
  );
}

/** The records import/export routes as their own plugin at /api/forms (see registerRecordsIo). */
export function recordsIoRoutes(options: RecordsIoRoutesOptions): RoutePlugin {
  return defineRoutes({
    name: 'records-io',
    prefix: '/forms',
    register: async (app) => registerRecordsIo(app as unknown as FastifyInstance, options),
  });
}
