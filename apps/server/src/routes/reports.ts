import { consumeQuota, definePermission } from '@baton/access';
import { type Db, type DbCtx, withTx } from '@baton/db';
import type { Viewer } from '@baton/form';
import {
  checkReport,
  deleteDashboard,
  drillReport,
  exportDrill,
  exportReport,
  getReport,
  type Locale,
  listDashboards,
  listReports,
  listReportVersions,
  pinReport,
  portalOf,
  publishReport,
  type ReportDefinition,
  ReportErrors,
  type ReportLimits,
  reportForms,
  runReport,
  saveDashboard,
  unpinReport,
} from '@baton/report';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { audited, callerOf, requestCtx } from '../ctx.ts';
import type { Caller } from '../gate.ts';
import { problemResponses, refusals, requestLocale } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';
import { orgSheetRefs } from '../sheets/org-refs.ts';
import { primed } from '../sheets/sheets.ts';
import { sendSheets } from '../sheets/write.ts';
import { checkedIssues } from '../validation.ts';
import { formRights } from './forms-permissions.ts';

// The reports API (mounted at /api/reports): published report definitions (report.design checks, previews on live
// data within the designer's own scopes, publishes and reads every version), runs,
// drill-through and exports for members, pins to a member's portal, dashboards per role (report.dashboard.manage).
// Who may run a report, and over which records, follows from their read rights on the report's form
// (forms-permissions.ts): those scopes become SQL in kernel/report, and a report over a form the caller
// cannot read is 404, never 403, so its existence does not leak. Joined forms are read within the caller's
// scopes on each of them.

export const ReportPermissions = {
  design: definePermission('report.design', { zh: '设计与发布报表', en: 'Design and publish reports' }) as Permission,
  dashboards: definePermission('report.dashboard.manage', {
    zh: '管理角色仪表板',
    en: 'Manage role dashboards',
  }) as Permission,
} as const;

const tags = ['reports'];
const writeRefusals = { ...refusals, ...problemResponses(409) };
const runRefusals = { ...refusals, ...problemResponses(409, 422, 429, 503) };

const code = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/);
const label = z.object({ zh: z.string(), en: z.string() });
const reportParams = z.strictObject({ pack: code, key: code });
const dashboardParams = z.strictObject({ key: code });
const versionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
/** Values stay `unknown` here: kernel/report checks every parameter and reports each problem with its path. */
const paramsField = z.record(z.string(), z.unknown()).optional();
const sortField = z
  .array(z.strictObject({ by: z.string().max(40), dir: z.string().max(4).optional() }))
  .max(6)
  .optional();
const runBody = z.strictObject({ params: paramsField, sort: sortField }).optional();
const cellField = z
  .strictObject({ keys: z.record(z.string(), z.unknown()).optional(), measure: z.string().max(40).optional() })
  .optional();
const drillBody = z
  .strictObject({
    params: paramsField,
    cell: cellField,
    cursor: z.string().max(400).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .optional();
const jsonText = z.string().max(4000).optional();
const exportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  params: jsonText,
  sort: jsonText,
});
const drillExportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  params: jsonText,
  cell: jsonText,
});

const summaryView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  form: z.string(),
  label,
  publishedAt: z.string(),
});
const detailView = z.object({
  definition: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  publishedAt: z.string(),
});
const publishView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  hash: z.string(),
  unchanged: z.boolean(),
});
const figures = z.record(z.string(), z.unknown());
const resultView = z.object({
  report: z.object({ pack: z.string(), key: z.string(), hash: z.string(), label }),
  dimensions: z.array(
    z.object({ key: z.string(), label, axis: z.enum(['row', 'column']), bucket: z.string().optional() }),
  ),
  measures: z.array(z.object({ key: z.string(), label, type: z.string(), computed: z.boolean() })),
  columns: z.array(z.object({ keys: figures, labels: z.record(z.string(), z.string()) })),
  rows: z.array(
    z.object({
      kind: z.enum(['detail', 'subtotal', 'total']),
      keys: figures,
      labels: z.record(z.string(), z.string()),
      values: figures,
      cells: z.array(figures.nullable()).optional(),
    }),
  ),
  generatedAt: z.string(),
});
const drillView = z.object({
  columns: z.array(z.object({ path: z.string(), label, type: z.string(), kind: z.string() })),
  records: z.array(
    z.object({
      id: z.string(),
      rowId: z.string().optional(),
      flowInstanceId: z.string().nullable(),
      state: z.string(),
      values: z.record(z.string(), z.unknown()),
      labels: z.record(z.string(), z.string()),
    }),
  ),
  nextCursor: z.string().nullable(),
});
const pinView = z.object({
  pack: z.string(),
  key: z.string(),
  params: z.record(z.string(), z.unknown()).nullable(),
  sort: z.number().int(),
  pinnedAt: z.string(),
});
const dashboardItem = z.object({
  pack: z.string(),
  key: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  chart: z.string().optional(),
  span: z.number().int(),
});
const dashboardView = z.object({
  key: z.string(),
  role: z.string(),
  label,
  items: z.array(dashboardItem),
  sort: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
const dashboardBody = z.strictObject({
  role: z.string().min(1).max(64),
  label: z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
  items: z.array(z.record(z.string(), z.unknown())).max(40),
  sort: z.number().int().min(0).max(100_000).optional(),
  version: z.number().int().min(1).optional(),
});

const issueView = z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() });
const fieldView = z.object({
  path: z.string(),
  scope: z.string(),
  label,
  type: z.string(),
  exprType: z.string().nullable(),
  system: z.boolean(),
  groupable: z.boolean(),
  numeric: z.boolean(),
  date: z.boolean(),
  options: z.array(z.object({ code: z.string(), label })).optional(),
  target: z.object({ pack: z.string(), key: z.string() }).optional(),
});
const checkView = z.object({
  issues: z.array(issueView),
  forms: z.record(z.string(), z.number()),
  fields: z.array(fieldView),
});
const definitionBody = z.record(z.string(), z.unknown());
const previewBody = z.strictObject({ definition: definitionBody, params: paramsField, sort: sortField });
const versionsView = z.object({
  versions: z.array(
    z.object({
      version: z.number().int(),
      hash: z.string(),
      definition: z.record(z.string(), z.unknown()),
      publishedAt: z.string(),
      publishedBy: z.string(),
    }),
  ),
});
const designSummaryView = summaryView.extend({ hash: z.string() });

export type ReportsRoutesOptions = {
  db: Db;
  /** Exports per member per window (default 30 an hour), shared with records exports. */
  exportQuota?: { limit: number; windowMs: number };
  limits?: Partial<ReportLimits>;
};

const DEFAULT_EXPORT_QUOTA = { limit: 30, windowMs: 3_600_000 };

const localeOf = (request: FastifyRequest): Locale => (request.locale === 'en-US' ? 'en-US' : 'zh-CN');

/** A JSON object from a query string (exports are GET downloads); bad JSON is a parameter problem. */
function jsonQuery(text: string | undefined, path: string): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw ReportErrors.paramInvalid.create({}, { fields: [{ path: [path], code: 'not_json', message: 'JSON text' }] });
  }
}

export function reportsRoutes(options: ReportsRoutesOptions): RoutePlugin {
  const { db } = options;
  const refs = orgSheetRefs();
  const limits = options.limits ? { limits: options.limits } : {};

  /** The caller's Viewer on a report: read scopes on its form (404 without any) and on each joined form. */
  async function viewerFor(ctx: DbCtx, caller: Caller, def: ReportDefinition): Promise<Viewer> {
    const [main, ...joined] = await reportForms(ctx, def);
    const rightsOf = async (form: string) => {
      const [pack, key] = form.split('.') as [string, string];
      return (await formRights(ctx, caller, pack, key)).read;
    };
    const scopes = main ? await rightsOf(main) : [];
    if (scopes.length === 0) throw ReportErrors.notFound.create({ report: `${def.pack}.${def.key}` });
    const targets: Record<string, Viewer['scopes']> = {};
    for (const form of joined) targets[form] = await rightsOf(form);
    return { memberId: caller.memberId, scopes, grants: true, targets };
  }

  /** The published report and the caller's Viewer on it. */
  async function reach(request: FastifyRequest, pack: string, key: string, version?: number) {
    const ctx = requestCtx(request, db);
    const report = await getReport(ctx, { pack, key, ...(version === undefined ? {} : { version }) });
    const viewer = await viewerFor(ctx, callerOf(request), report.definition);
    return { ctx, report, viewer };
  }

  /** Whether the caller may run a report (for lists, pins and dashboards). */
  async function runnable(ctx: DbCtx, caller: Caller, pack: string, key: string): Promise<boolean> {
    try {
      await viewerFor(ctx, caller, (await getReport(ctx, { pack, key })).definition);
      return true;
    } catch (error) {
      if (ReportErrors.notFound.is(error) || ReportErrors.definitionStale.is(error)) return false;
      throw error;
    }
  }

  async function spendExport(request: FastifyRequest, ctx: DbCtx) {
    const quota = options.exportQuota ?? DEFAULT_EXPORT_QUOTA;
    await withTx(ctx, (tx) => consumeQuota(tx, { name: 'export', who: callerOf(request).memberId, ...quota }));
  }

  return defineRoutes({
    name: 'reports',
    prefix: '/reports',
    register: async (app) => {
      // ---- definitions ------------------------------------------------------------------------

      app.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Published reports the caller may run (latest versions)',
            response: { 200: z.object({ reports: z.array(summaryView) }), ...refusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const caller = callerOf(request);
          const reports = [];
          const readable = new Map<string, boolean>();
          for (const report of await listReports(ctx)) {
            // The form decides; joined forms only narrow what is seen, so they are not asked here.
            if (!readable.has(report.form)) {
              const [pack, key] = report.form.split('.') as [string, string];
              readable.set(report.form, (await formRights(ctx, caller, pack, key)).read.length > 0);
            }
            if (!readable.get(report.form)) continue;
            const { hash: _hash, ...summary } = report;
            reports.push(summary);
          }
          return { reports };
        },
      );

      app.post(
        '/',
        {
          config: { policy: ReportPermissions.design },
          schema: {
            tags,
            summary: 'Publish a report definition as its next version, validated against the published forms (audited)',
            body: z.record(z.string(), z.unknown()),
            response: { 200: publishView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => publishReport(tx, request.body),
            ({ pack, key, version, hash, unchanged }) => ({
              action: 'report.definition.publish',
              target: { type: 'report', id: `${pack}.${key}` },
              detail: { version, hash, unchanged },
            }),
          ),
      );

      // ---- the report editor: check, preview on live data, every definition and version ------------

      app.post(
        '/validate',
        {
          config: { policy: ReportPermissions.design },
          schema: {
            tags,
            summary:
              'Every issue of a report definition with its path, and the fields its source offers; nothing is stored',
            body: definitionBody,
            response: { 200: checkView, ...refusals },
          },
        },
        async (request) => {
          const { definition: _definition, ...result } = await checkReport(requestCtx(request, db), request.body);
          return { ...result, issues: checkedIssues(result.issues, requestLocale(request)) };
        },
      );

      app.post(
        '/preview',
        {
          config: { policy: ReportPermissions.design },
          schema: {
            tags,
            summary:
              'Run an unpublished definition on live data within the designer’s own scopes (REPORT_DEFINITION_INVALID with every issue otherwise)',
            body: previewBody,
            response: {
              200: z.object({ definition: z.record(z.string(), z.unknown()), result: resultView }),
              ...runRefusals,
            },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const checked = await checkReport(ctx, request.body.definition);
          const definition = checked.definition;
          if (!definition) {
            throw ReportErrors.definitionInvalid.create({ count: checked.issues.length }, { fields: checked.issues });
          }
          const viewer = await viewerFor(ctx, callerOf(request), definition);
          const result = await runReport(
            ctx,
            {
              report: definition,
              viewer,
              params: request.body.params,
              sort: request.body.sort,
              locale: localeOf(request),
            },
            { refs, ...limits },
          );
          return { definition: definition as unknown as Record<string, unknown>, result };
        },
      );

      app.get(
        '/definitions',
        {
          config: { policy: ReportPermissions.design },
          schema: {
            tags,
            summary: 'The latest version of every published report, whoever may run it (for designers)',
            response: { 200: z.object({ reports: z.array(designSummaryView) }), ...refusals },
          },
        },
        async (request) => ({ reports: await listReports(requestCtx(request, db)) }),
      );

      app.get(
        '/:pack/:key/versions',
        {
          config: { policy: ReportPermissions.design },
          schema: {
            tags,
            summary: 'Every published version of a report, newest first, with its definition',
            params: reportParams,
            response: { 200: versionsView, ...refusals },
          },
        },
        async (request) => ({
          versions: (await listReportVersions(requestCtx(request, db), request.params)).map((version) => ({
            ...version,
            definition: version.definition as unknown as Record<string, unknown>,
          })),
        }),
      );

      app.get(
        '/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'A published report definition (latest, or ?version=n)',
            params: reportParams,
            querystring: versionQuery,
            response: { 200: detailView, ...refusals },
          },
        },
        async (request) => {
          const { report } = await reach(request, request.params.pack, request.params.key, request.query.version);
          return {
            definition: report.definition as unknown as Record<string, unknown>,
            version: report.version,
            publishedAt: report.publishedAt,
          };
        },
      );

      // ---- running ------------------------------------------------------------------------------

      app.post(
        '/:pack/:key/run',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Run a report over the records inside the caller’s scopes (one SQL statement)',
            params: reportParams,
            body: runBody,
            response: { 200: resultView, ...runRefusals },
          },
        },
        async (request) => {
          const { ctx, report, viewer } = await reach(request, request.params.pack, request.params.key);
          return runReport(
            ctx,
            {
              report: report.definition,
              viewer,
              params: request.body?.params,
              sort: request.body?.sort,
              locale: localeOf(request),
            },
            { refs, ...limits },
          );
        },
      );

      app.post(
        '/:pack/:key/drill',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The records behind one figure (same scopes and parameters), paged by cursor',
            params: reportParams,
            body: drillBody,
            response: { 200: drillView, ...runRefusals },
          },
        },
        async (request) => {
          const { ctx, report, viewer } = await reach(request, request.params.pack, request.params.key);
          const body = request.body ?? {};
          return drillReport(
            ctx,
            {
              report: report.definition,
              viewer,
              params: body.params,
              cell: body.cell,
              ...(body.cursor === undefined ? {} : { cursor: body.cursor }),
              ...(body.limit === undefined ? {} : { limit: body.limit }),
              locale: localeOf(request),
            },
            { refs, ...limits },
          );
        },
      );

      const download = async (
        reply: FastifyReply,
        request: FastifyRequest,
        name: string,
        format: 'xlsx' | 'csv',
        sheet: Awaited<ReturnType<typeof exportReport>>,
      ) => {
        const stamp = request.server.clock.now().toISOString().slice(0, 10);
        const rows = Symbol.asyncIterator in sheet.rows ? await primed(sheet.rows) : sheet.rows;
        return sendSheets(reply, { filename: `${name}-${stamp}`, format, sheets: [{ ...sheet, rows }] });
      };

      app.get(
        '/:pack/:key/export',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'A report result as .xlsx or .csv (params and sort as JSON in the query)',
            params: reportParams,
            querystring: exportQuery,
            produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
            response: runRefusals,
          },
        },
        async (request, reply) => {
          const { pack, key } = request.params;
          const { ctx, report, viewer } = await reach(request, pack, key);
          const params = jsonQuery(request.query.params, 'params');
          const sort = jsonQuery(request.query.sort, 'sort');
          // Counted after the access check, so probing reports one may not run spends nothing.
          await spendExport(request, ctx);
          const sheet = await exportReport(
            ctx,
            { report: report.definition, viewer, params, sort, locale: localeOf(request) },
            { refs, ...limits },
          );
          return download(reply, request, `${pack}-${key}`, request.query.format, sheet);
        },
      );

      app.get(
        '/:pack/:key/drill/export',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The records behind one figure as .xlsx or .csv, streamed (params and cell as JSON in the query)',
            params: reportParams,
            querystring: drillExportQuery,
            produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
            response: runRefusals,
          },
        },
        async (request, reply) => {
          const { pack, key } = request.params;
          const { ctx, report, viewer } = await reach(request, pack, key);
          const params = jsonQuery(request.query.params, 'params');
          const cell = jsonQuery(request.query.cell, 'cell');
          await spendExport(request, ctx);
          const sheet = await exportDrill(
            ctx,
            { report: report.definition, viewer, params, cell: cell as never, locale: localeOf(request) },
            { refs, ...limits },
          );
          return download(reply, request, `${pack}-${key}-records`, request.query.format, sheet);
        },
      );

      // ---- portal: pins and dashboards ------------------------------------------------------------

      app.get(
        '/portal',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The caller’s pinned reports and the dashboards of their roles (items they cannot run left out)',
            response: {
              200: z.object({ pins: z.array(pinView), dashboards: z.array(dashboardView) }),
              ...refusals,
            },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const caller = callerOf(request);
          const portal = await portalOf(ctx, { memberId: caller.memberId });
          const known = new Map<string, boolean>();
          const may = async (pack: string, key: string) => {
            const id = `${pack}.${key}`;
            if (!known.has(id)) known.set(id, await runnable(ctx, caller, pack, key));
            return known.get(id) === true;
          };
          const pins = [];
          for (const pin of portal.pins) if (await may(pin.pack, pin.key)) pins.push(pin);
          const dashboards = [];
          for (const dashboard of portal.dashboards) {
            const items = [];
            for (const item of dashboard.items) if (await may(item.pack, item.key)) items.push(item);
            dashboards.push({ ...dashboard, items });
          }
          return { pins, dashboards };
        },
      );

      app.put(
        '/pins/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Pin a report to the caller’s portal with saved parameters (again: replace them)',
            params: reportParams,
            body: z.strictObject({ params: z.record(z.string(), z.unknown()).nullable().optional() }).optional(),
            response: { 200: pinView, ...writeRefusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const { ctx } = await reach(request, pack, key);
          return pinReport(ctx, {
            memberId: callerOf(request).memberId,
            pack,
            key,
            params: request.body?.params ?? null,
          });
        },
      );

      app.delete(
        '/pins/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Unpin a report from the caller’s portal',
            params: reportParams,
            response: { 200: z.object({ removed: z.boolean() }), ...refusals },
          },
        },
        async (request) => {
          const removed = await unpinReport(requestCtx(request, db), {
            memberId: callerOf(request).memberId,
            ...request.params,
          });
          return { removed };
        },
      );

      app.get(
        '/dashboards',
        {
          config: { policy: ReportPermissions.dashboards },
          schema: {
            tags,
            summary: 'Every role dashboard (for administrators)',
            response: { 200: z.object({ dashboards: z.array(dashboardView) }), ...refusals },
          },
        },
        async (request) => ({ dashboards: await listDashboards(requestCtx(request, db)) }),
      );

      app.put(
        '/dashboards/:key',
        {
          config: { policy: ReportPermissions.dashboards },
          schema: {
            tags,
            summary: 'Create (no version) or replace (the version read) the dashboard of a role (audited)',
            params: dashboardParams,
            body: dashboardBody,
            response: { 200: dashboardView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => saveDashboard(tx, { key: request.params.key, ...request.body, items: request.body.items as never }),
            (dashboard) => ({
              action: 'report.dashboard.save',
              target: { type: 'dashboard', id: dashboard.key },
              detail: { role: dashboard.role, version: dashboard.version, items: dashboard.items.length },
            }),
          ),
      );

      app.delete(
        '/dashboards/:key',
        {
          config: { policy: ReportPermissions.dashboards },
          schema: {
            tags,
            summary: 'Delete a role dashboard (audited)',
            params: dashboardParams,
            response: { 200: z.object({ removed: z.boolean() }), ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            async (tx) => {
              await deleteDashboard(tx, { key: request.params.key });
              return { removed: true };
            },
            () => ({ action: 'report.dashboard.delete', target: { type: 'dashboard', id: request.params.key } }),
          ),
      );
    },
  });
}
