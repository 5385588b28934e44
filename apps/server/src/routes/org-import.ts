import type { Db } from '@baton/db';
import { exportOrg, type ImportReport, importOrg, type OrgSheet, orgSheetHeaders, orgSheets } from '@baton/org';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { problemResponses } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { readUpload } from '../sheets/read.ts';
import { assignSheets } from '../sheets/sheets.ts';
import { acceptSheetUploads, importFiles, uploadedFiles } from '../sheets/upload.ts';
import { sendSheets } from '../sheets/write.ts';
import { OrgPermissions } from './org-permissions.ts';

// Bulk import (POST /api/org/import) and export (GET /api/org/export) of the organisation as .xlsx or .csv.
// Files are read and written here; @baton/org sees rows of cells and validates every one of them.

const tags = ['org'];
const refusals = problemResponses(400, 401, 403, 413);

export const importReportView = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  applied: z.object({ created: z.number().int(), updated: z.number().int() }),
  errors: z.array(
    z.object({
      sheet: z.string(),
      row: z.number().int(),
      column: z.string(),
      code: z.string(),
      message: z.object({ zh: z.string(), en: z.string() }),
    }),
  ),
});

export const dryRunQuery = z.strictObject({
  /** Defaults to a dry run: applying needs an explicit dryRun=false. */
  dryRun: z.enum(['true', 'false']).default('true'),
});

const exportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  /** CSV holds one sheet: departments or members (default members). */
  sheet: z.enum(['departments', 'members']).default('members'),
  includeLeft: z.enum(['true', 'false']).default('false'),
});

const expected: Record<OrgSheet, { names: string[]; marker: string[] }> = {
  departments: { names: ['部门', 'departments', 'Departments'], marker: ['部门名称', 'Department name'] },
  members: { names: ['人员', 'members', 'Members'], marker: ['登录名', 'Login'] },
};

export type OrgImportRoutesOptions = { db: Db };

/** Two plugins (the /org prefix belongs to the org API): /api/org/import and /api/org/export. */
export function orgImportRoutes({ db }: OrgImportRoutesOptions): RoutePlugin[] {
  const importPlugin = defineRoutes({
    name: 'org-import',
    prefix: '/org/import',
    register: async (app) => {
      await acceptSheetUploads(app);
      app.post(
        '/',
        {
          config: { policy: OrgPermissions.write },
          prefixTrailingSlash: 'no-slash',
          schema: {
            tags,
            summary: 'Import departments and members from .xlsx (sheets 部门, 人员) or .csv files; dry run by default',
            consumes: ['multipart/form-data'],
            querystring: dryRunQuery,
            response: { 200: importReportView, ...refusals },
          },
        },
        async (request): Promise<ImportReport> => {
          const dryRun = request.query.dryRun === 'true';
          const files = await uploadedFiles(request);
          const sheets = [];
          for (const file of files) sheets.push(...(await readUpload(file)));
          const input = assignSheets(sheets, expected);
          const rows = { departments: input.departments?.rows ?? [], members: input.members?.rows ?? [] };
          const audit = { action: 'org.import.apply', target: { type: 'org.import', id: null } };
          return importFiles(requestCtx(request, db), request, { files, dryRun, audit }, (ctx) =>
            importOrg(ctx, rows, { dryRun }),
          );
        },
      );
    },
  });

  const exportPlugin = defineRoutes({
    name: 'org-export',
    prefix: '/org/export',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy: OrgPermissions.read },
          prefixTrailingSlash: 'no-slash',
          schema: {
            tags,
            summary: 'Export departments and members (.xlsx: both sheets; .csv: one) in the columns import reads',
            querystring: exportQuery,
            produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
            response: problemResponses(400, 401, 403),
          },
        },
        async (request, reply) => {
          const { format, sheet, includeLeft } = request.query;
          const data = await exportOrg(requestCtx(request, db), { includeLeft: includeLeft === 'true' });
          const out = (kind: OrgSheet) => {
            const headers = orgSheetHeaders(kind);
            return {
              name: orgSheets[kind].zh,
              columns: headers.map((h) => ({ header: h.header, kind: 'text' as const })),
              rows: data[kind].map((row) => headers.map((h) => row[h.key] ?? '')),
            };
          };
          const sheets = format === 'csv' ? [out(sheet)] : [out('departments'), out('members')];
          const stamp = request.server.clock.now().toISOString().slice(0, 10);
          const filename = format === 'csv' ? `org-${sheet}-${stamp}` : `org-${stamp}`;
          return sendSheets(reply, { filename, format, sheets });
        },
      );
    },
  });

  return [importPlugin, exportPlugin];
}
