import { createHash } from 'node:crypto';
import { definePermission } from '@baton/access';
import { isBatonError } from '@baton/core';
import type { Db, DbCtx } from '@baton/db';
import {
  exportPack,
  importPack,
  listInstalledPacks,
  listPackCandidates,
  PackErrors,
  PackFileLimits,
  type PackMenuItem,
  packFileText,
  packMenus,
  previewImport,
  readPackFile,
} from '@baton/pack';
import { getReport, ReportErrors } from '@baton/report';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { callerOf, requestCtx } from '../ctx.ts';
import type { Caller } from '../gate.ts';
import { problemResponses, problemSchema, refusals, requestLocale } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';
import { checkedIssues } from '../validation.ts';
import { canStart, declareFlowPermissions, heldPermissions } from './flows-permissions.ts';
import { declareFormPermissions, type FormRights, formRights, usable } from './forms-permissions.ts';
import { planStep } from './forms-schemas.ts';

// Packs over HTTP (/api/packs). The menus of installed packs (GET /menus) for the web app's navigation and the
// workspace's quick entries: each entry is kept only when the caller may use what it opens (a form's list when
// they may see the form at all, its new-record page when they may fill it in, a flow when they may file it, a
// report when they may read its form, as /api/reports decides); menus left empty are dropped. For the admin page
// 应用包 (pack.export): what is installed or assembled in the designers (GET /), a pack as a file (GET
// /:key/export); (pack.install) the validation report and the diff of an uploaded file (POST /preview) and its
// import (POST /import, audited). Uploads are one .json file as multipart, bounded by PackFileLimits and read by
// kernel/pack's readPackFile: a bad file is a coded 4xx and nothing changes.

export const PackPermissions = {
  export: definePermission('pack.export', {
    zh: '查看与导出应用包',
    en: 'View and export packs',
  }) as Permission,
  install: definePermission('pack.install', {
    zh: '导入、安装与升级应用包',
    en: 'Import, install and upgrade packs',
  }) as Permission,
} as const;

const tags = ['packs'];
const label = z.object({ zh: z.string(), en: z.string() });
const itemView = z.object({
  key: z.string(),
  label,
  kind: z.enum(['form', 'flow', 'report']),
  /** What the entry opens: `pack.key` of the form, flow or report. */
  pack: z.string(),
  target: z.string(),
  view: z.enum(['list', 'new']).optional(),
});
const menuView = z.object({ key: z.string(), label, icon: z.string().optional(), items: z.array(itemView) });
const packView = z.object({ pack: z.string(), name: label, menus: z.array(menuView) });

const uploadRefusals = { ...refusals, ...problemResponses(409, 413, 422) };
const packKey = z.string().regex(/^[a-z][A-Za-z0-9]{0,19}$/);
const counts = z.object({ forms: z.number(), flows: z.number(), rules: z.number(), reports: z.number() });
const installedView = z.object({
  key: z.string(),
  /** null for an app assembled in the designers (nothing installed under the key). */
  name: label.nullable(),
  version: z.string().nullable(),
  installed: z.boolean(),
  installedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  demoLoadedAt: z.string().nullable(),
  counts,
});
const change = z.enum(['added', 'changed', 'removed', 'unchanged']);
const definitionDiff = z.object({
  key: z.string(),
  label: label.nullable(),
  change,
  installedVersion: z.number().nullable(),
});
const dependentDiff = definitionDiff.extend({ reason: z.enum(['definition', 'form']).optional() });
const diffView = z.object({
  key: z.string(),
  version: z.string(),
  name: label,
  installedVersion: z.string().nullable(),
  step: z.enum(['install', 'upgrade', 'same', 'downgrade']),
  unchanged: z.boolean(),
  ok: z.boolean(),
  forms: z.array(definitionDiff.extend({ steps: z.array(planStep), ok: z.boolean() })),
  flows: z.array(dependentDiff),
  rules: z.array(dependentDiff),
  reports: z.array(definitionDiff),
  menus: z.array(z.object({ key: z.string(), label, change })),
  roles: z.array(
    z.object({
      code: z.string(),
      name: label,
      change,
      exists: z.boolean(),
      grant: z.array(z.string()),
      revoke: z.array(z.string()),
    }),
  ),
  demo: z.object({ assignments: z.number(), records: z.number(), filings: z.number(), load: z.boolean() }),
  fingerprint: z.string(),
});
const issueView = z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() });
const previewView = z.object({
  file: z.object({ name: z.string(), bytes: z.number(), sha256: z.string() }),
  issues: z.array(issueView),
  pack: z.object({
    key: z.string().nullable(),
    version: z.string().nullable(),
    name: label.nullable(),
    hash: z.string().nullable(),
    counts: counts.extend({ menus: z.number(), roles: z.number() }),
  }),
  diff: diffView.nullable(),
});
const definitionResult = z.object({ key: z.string(), version: z.number(), unchanged: z.boolean() });
const importView = z.object({
  file: z.object({ name: z.string(), bytes: z.number(), sha256: z.string() }),
  diff: diffView,
  report: z.object({
    key: z.string(),
    version: z.string(),
    outcome: z.enum(['installed', 'upgraded', 'unchanged']),
    previousVersion: z.string().nullable(),
    forms: z.array(definitionResult),
    flows: z.array(definitionResult),
    rules: z.array(definitionResult),
    reports: z.array(definitionResult),
    rolesCreated: z.array(z.string()),
    granted: z.number(),
    revoked: z.number(),
    demo: z.object({ assignments: z.number(), records: z.number(), filings: z.number() }).nullable(),
  }),
});
const uploadQuery = z.strictObject({
  /** Load the file's demo data when this is the pack's first install. */
  demo: z.enum(['true', 'false']).default('false'),
});
const importQuery = uploadQuery.extend({
  /** The diff fingerprint the person confirmed (from /preview): refused with PACK_DIFF_CHANGED if it moved. */
  expect: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

type UploadedPack = { file: { name: string; bytes: number; sha256: string }; document: Record<string, unknown> };

/**
 * The one .json file of a multipart upload, read whole (capped one byte above PackFileLimits.bytes so the coded
 * refusal fires) and handed to readPackFile. Anything else — no file, two files, another extension, a field too
 * many — is PACK_FILE_INVALID; too many bytes PACK_FILE_TOO_LARGE.
 */
async function uploadedPack(request: FastifyRequest): Promise<UploadedPack> {
  if (!request.isMultipart()) {
    throw PackErrors.fileInvalid.create({ reason: 'upload one .json file as multipart/form-data' });
  }
  let found: { name: string; data: Buffer } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: PackFileLimits.bytes + 1 } })) {
      if (part.type !== 'file') continue;
      if (found) {
        part.file.resume();
        throw PackErrors.fileInvalid.create({ reason: 'one file at a time' });
      }
      const data = await part.toBuffer();
      found = { name: (part.filename || 'upload').slice(0, 200), data };
    }
  } catch (error) {
    if (isBatonError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw PackErrors.fileTooLarge.create({ what: `more than ${PackFileLimits.bytes} bytes` });
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw PackErrors.fileInvalid.create({ reason: 'one file at a time' });
    }
    throw PackErrors.fileInvalid.create({ reason: 'the upload is incomplete or malformed' });
  }
  if (!found) throw PackErrors.fileInvalid.create({ reason: 'no file' });
  if (!/\.json$/i.test(found.name)) throw PackErrors.fileInvalid.create({ reason: 'a pack file ends in .json' });
  if (found.data.byteLength > PackFileLimits.bytes) {
    throw PackErrors.fileTooLarge.create({ what: `more than ${PackFileLimits.bytes} bytes` });
  }
  const document = readPackFile(found.data);
  const sha256 = createHash('sha256').update(found.data).digest('hex');
  return { file: { name: found.name, bytes: found.data.byteLength, sha256 }, document };
}

const serverDeclarer = { form: declareFormPermissions, flow: declareFlowPermissions };

type ItemView = z.infer<typeof itemView>;

export function packsRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;

  /** Answers for one request: rights are read once per form and report, however many entries name them. */
  function gate(ctx: DbCtx, caller: Caller) {
    const forms = new Map<string, Promise<FormRights>>();
    const rightsOn = (pack: string, key: string) => {
      const id = `${pack}.${key}`;
      let rights = forms.get(id);
      if (!rights) {
        rights = formRights(ctx, caller, pack, key);
        forms.set(id, rights);
      }
      return rights;
    };
    let held: Promise<ReadonlySet<string>> | undefined;
    const reports = new Map<string, Promise<boolean>>();
    const mayRun = (pack: string, key: string) => {
      const id = `${pack}.${key}`;
      let may = reports.get(id);
      if (!may) {
        may = (async () => {
          try {
            const { definition } = await getReport(ctx, { pack, key });
            return (await rightsOn(definition.form.pack, definition.form.key)).read.length > 0;
          } catch (error) {
            if (ReportErrors.notFound.is(error) || ReportErrors.definitionStale.is(error)) return false;
            throw error;
          }
        })();
        reports.set(id, may);
      }
      return may;
    };
    return async (pack: string, item: PackMenuItem): Promise<ItemView | undefined> => {
      const base = { key: item.key, label: item.label, pack };
      if (item.form) {
        const rights = await rightsOn(pack, item.form);
        const view = item.view ?? 'list';
        const allowed = view === 'new' ? rights.create || rights.design : usable(rights);
        return allowed ? { ...base, kind: 'form', target: item.form, view } : undefined;
      }
      if (item.flow) {
        held ??= heldPermissions(ctx, caller);
        return canStart(await held, pack, item.flow) ? { ...base, kind: 'flow', target: item.flow } : undefined;
      }
      if (item.report) {
        return (await mayRun(pack, item.report)) ? { ...base, kind: 'report', target: item.report } : undefined;
      }
      return undefined;
    };
  }

  return defineRoutes({
    name: 'packs',
    prefix: '/packs',
    register: async (app) => {
      // Only here, for the pack file: the rest of /api takes JSON alone.
      await app.register(multipart, {
        throwFileSizeLimit: true,
        limits: { fieldNameSize: 40, fieldSize: 200, fields: 5, files: 1, parts: 6, headerPairs: 100 },
      });

      app.get(
        '/',
        {
          config: { policy: PackPermissions.export },
          schema: {
            tags,
            summary: 'Installed packs with their versions, and apps assembled in the designers under a pack key',
            response: { 200: z.object({ packs: z.array(installedView) }), ...refusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const installed = new Map((await listInstalledPacks(ctx)).map((pack) => [pack.key, pack]));
          const candidates = new Map((await listPackCandidates(ctx)).map((c) => [c.key, c.counts]));
          const keys = [...new Set([...installed.keys(), ...candidates.keys()])].sort();
          return {
            packs: keys.map((key) => {
              const pack = installed.get(key);
              return {
                key,
                name: pack?.name ?? null,
                version: pack?.version ?? null,
                installed: pack !== undefined,
                installedAt: pack?.installedAt ?? null,
                updatedAt: pack?.updatedAt ?? null,
                demoLoadedAt: pack?.demoLoadedAt ?? null,
                counts: candidates.get(key) ?? { forms: 0, flows: 0, rules: 0, reports: 0 },
              };
            }),
          };
        },
      );

      app.get(
        '/:key/export',
        {
          config: { policy: PackPermissions.export },
          schema: {
            tags,
            summary: 'A pack as one JSON file (baton.pack/1): installed, or assembled in the designers under the key',
            params: z.strictObject({ key: packKey }),
            querystring: z.strictObject({
              demo: z.enum(['true', 'false']).default('false'),
              version: z
                .string()
                .regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/)
                .optional(),
              nameZh: z.string().min(1).max(200).optional(),
              nameEn: z.string().min(1).max(200).optional(),
            }),
            produces: ['application/json'],
            response: { ...refusals, 413: problemSchema, 422: problemSchema },
          },
        },
        async (request, reply) => {
          const { key } = request.params;
          const { demo, version, nameZh, nameEn } = request.query;
          const document = await exportPack(requestCtx(request, db), {
            key,
            includeDemo: demo === 'true',
            ...(version ? { version } : {}),
            ...(nameZh || nameEn ? { name: { zh: nameZh ?? nameEn ?? key, en: nameEn ?? nameZh ?? key } } : {}),
          });
          const name = `${document.key}-${document.version}.baton-pack.json`;
          return (reply as FastifyReply)
            .header('content-type', 'application/json; charset=utf-8')
            .header('x-content-type-options', 'nosniff')
            .header(
              'content-disposition',
              `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
            )
            .header('cache-control', 'no-store')
            .send(Buffer.from(packFileText(document), 'utf8'));
        },
      );

      app.post(
        '/preview',
        {
          config: { policy: PackPermissions.install },
          schema: {
            tags,
            summary: 'Check an uploaded pack file: every issue with its path, and the diff against what is installed',
            consumes: ['multipart/form-data'],
            querystring: uploadQuery,
            response: { 200: previewView, ...uploadRefusals },
          },
        },
        async (request) => {
          const upload = await uploadedPack(request);
          const preview = await previewImport(requestCtx(request, db), upload.document, {
            demo: request.query.demo === 'true',
          });
          const issues = checkedIssues(preview.issues, requestLocale(request));
          return { file: upload.file, ...preview, issues };
        },
      );

      app.post(
        '/import',
        {
          config: { policy: PackPermissions.install },
          schema: {
            tags,
            summary: 'Import an uploaded pack file: validate, diff and install or upgrade in one transaction (audited)',
            consumes: ['multipart/form-data'],
            querystring: importQuery,
            response: { 200: importView, ...uploadRefusals },
          },
        },
        async (request) => {
          const upload = await uploadedPack(request);
          const { diff, report } = await importPack(requestCtx(request, db), upload.document, {
            demo: request.query.demo === 'true',
            declarer: serverDeclarer,
            ...(request.query.expect ? { expect: request.query.expect } : {}),
            audit: { ip: request.ip, detail: { source: 'upload', file: upload.file } },
          });
          return { file: upload.file, diff, report: report as NonNullable<typeof report> };
        },
      );

      app.get(
        '/menus',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The menus of installed packs, each entry kept only when the caller may use what it opens',
            response: {
              200: z.object({ packs: z.array(packView) }),
              400: problemSchema,
              401: problemSchema,
              403: problemSchema,
            },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const allowed = gate(ctx, callerOf(request));
          const packs = [];
          for (const installed of await packMenus(ctx)) {
            const menus = [];
            for (const menu of installed.menus) {
              const items: ItemView[] = [];
              for (const item of menu.items) {
                const view = await allowed(installed.pack, item);
                if (view) items.push(view);
              }
              if (items.length > 0) {
                menus.push({ key: menu.key, label: menu.label, ...(menu.icon ? { icon: menu.icon } : {}), items });
              }
            }
            if (menus.length > 0) packs.push({ pack: installed.pack, name: installed.name, menus });
          }
          return { packs };
        },
      );
    },
  });
}
