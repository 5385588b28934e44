import {
  type AccessSettings,
  appendAudit,
  definePermission,
  getAccessSettings,
  updateAccessSettings,
} from '@baton/access';
import { CoreErrors, type FieldIssue } from '@baton/core';
import { type Db, type DbCtx, readSetting, withTx, writeSetting } from '@baton/db';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { refusals } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';

// 系统设置 (mounted at /api/settings): the run-time settings something reads — session lengths and sign-in
// lockout (kernel/access, read at every sign-in) and the per-file upload ceiling (the attachments route, read at
// every upload) — validated, changed in one transaction and audited with before and after; and, read-only, what
// the deployment fixed in its environment (database, public URL, mail peer, Redis, request size).

export const SettingsPermissions = {
  write: definePermission('settings.write', {
    zh: '查看与修改系统设置（会话时长、登录锁定、上传上限）',
    en: 'View and change system settings (session length, sign-in lockout, upload ceiling)',
  }) as Permission,
} as const;

/** The stored upload ceiling, under the deployment's: one file may not exceed it in any upload field. */
export const UPLOAD_SETTING = 'server.upload';
const MB = 1024 * 1024;

type UploadSettings = { maxFileMb: number };

/** What the deployment fixed in its configuration; shown, never changed here. */
export type DeploymentFacts = {
  database: 'sqlite' | 'postgres';
  publicUrl: string | null;
  /** E-mail notices go out only when both the SMTP peer and the sender are configured. */
  mail: { configured: boolean; host: string | null; from: string | null };
  redis: boolean;
  /** The largest JSON request body, in bytes. */
  bodyLimit: number;
};

export type SettingsRoutesOptions = {
  db: Db;
  /** The deployment's ceiling for one uploaded file (the attachments route's maxFileBytes); default 100 MiB. */
  maxFileBytes?: number;
  deployment?: DeploymentFacts;
};

const DEFAULT_MAX_FILE_BYTES = 100 * MB;

function uploadSchema(ceilingMb: number) {
  return z.strictObject({ maxFileMb: z.number().int().min(1).max(ceilingMb) });
}

async function uploadSettings(ctx: DbCtx, ceilingMb: number) {
  const stored = await readSetting(ctx, UPLOAD_SETTING);
  const checked = uploadSchema(ceilingMb).safeParse(stored?.value);
  // A stored value the ceiling no longer allows (the deployment lowered it) falls back to the ceiling.
  const values: UploadSettings = checked.success ? checked.data : { maxFileMb: ceilingMb };
  return {
    values,
    defaults: { maxFileMb: ceilingMb },
    ceilingMb,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/** The byte limit of one uploaded file now: the administrator's setting under the deployment's ceiling. */
export async function uploadLimitBytes(ctx: DbCtx, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<number> {
  const { values } = await uploadSettings(ctx, Math.floor(maxFileBytes / MB));
  return Math.min(values.maxFileMb * MB, maxFileBytes);
}

const tags = ['settings'];
const accessSettingsView = z.object({
  sessionIdleMs: z.number(),
  sessionAbsoluteMs: z.number(),
  loginMaxFailures: z.number(),
  lockMs: z.number(),
  ipMaxFailures: z.number(),
});
const changedView = { updatedAt: z.string().nullable(), updatedBy: z.string().nullable() };
const settingsView = z.object({
  access: z.object({ values: accessSettingsView, defaults: accessSettingsView, ...changedView }),
  upload: z.object({
    values: z.object({ maxFileMb: z.number() }),
    defaults: z.object({ maxFileMb: z.number() }),
    ceilingMb: z.number(),
    ...changedView,
  }),
  deployment: z
    .object({
      database: z.enum(['sqlite', 'postgres']),
      publicUrl: z.string().nullable(),
      mail: z.object({ configured: z.boolean(), host: z.string().nullable(), from: z.string().nullable() }),
      redis: z.boolean(),
      bodyLimit: z.number(),
    })
    .nullable(),
});
const changesBody = z.strictObject({
  // Bounds are the engines' (every problem comes back with its path); here only the shape.
  access: z
    .strictObject({
      sessionIdleMs: z.number(),
      sessionAbsoluteMs: z.number(),
      loginMaxFailures: z.number(),
      lockMs: z.number(),
      ipMaxFailures: z.number(),
    })
    .partial()
    .optional(),
  upload: z.strictObject({ maxFileMb: z.number() }).optional(),
});

const prefixed = (prefix: string, issues: ReadonlyArray<FieldIssue>): FieldIssue[] =>
  issues.map((issue) => ({ ...issue, path: [prefix, ...issue.path] }));

export function settingsRoutes(options: SettingsRoutesOptions): RoutePlugin {
  const { db } = options;
  const ceilingMb = Math.floor((options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) / MB);
  const config = { policy: SettingsPermissions.write };

  async function view(ctx: DbCtx) {
    return {
      access: await getAccessSettings(ctx),
      upload: await uploadSettings(ctx, ceilingMb),
      deployment: options.deployment ?? null,
    };
  }

  return defineRoutes({
    name: 'settings',
    prefix: '/settings',
    register: async (app) => {
      app.get(
        '/',
        {
          config,
          schema: {
            tags,
            summary: 'The system settings in force, their defaults and last change, and what the deployment fixed',
            response: { 200: settingsView, ...refusals },
          },
        },
        async (request) => view(requestCtx(request, db)),
      );

      app.put(
        '/',
        {
          config,
          schema: {
            tags,
            summary:
              'Change some settings: every problem comes back with its path and nothing changes; applied together and audited',
            body: changesBody,
            response: { 200: settingsView, ...refusals },
          },
        },
        async (request) =>
          withTx(requestCtx(request, db), async (tx) => {
            const { access, upload } = request.body;
            const issues: FieldIssue[] = [];
            const detail: Record<string, { before: unknown; after: unknown }> = {};
            if (upload) {
              const checked = uploadSchema(ceilingMb).safeParse(upload);
              if (!checked.success) {
                issues.push(
                  ...checked.error.issues.map((issue) => ({
                    path: ['upload', ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
                    code: issue.code,
                    message: issue.message,
                  })),
                );
              } else {
                const before = (await uploadSettings(tx, ceilingMb)).values;
                await writeSetting(tx, { key: UPLOAD_SETTING, value: checked.data });
                detail.upload = { before, after: checked.data };
              }
            }
            if (access && Object.keys(access).length > 0) {
              try {
                detail.access = await updateAccessSettings(tx, access as Partial<AccessSettings>);
              } catch (error) {
                if (!CoreErrors.validation.is(error)) throw error;
                issues.push(...prefixed('access', error.fields));
              }
            }
            if (issues.length > 0) throw CoreErrors.validation.create({}, { fields: issues });
            if (Object.keys(detail).length > 0) {
              await appendAudit(tx, {
                action: 'settings.update',
                target: { type: 'settings', id: Object.keys(detail).sort().join(',') },
                ip: request.ip,
                detail,
              });
            }
            return view(tx);
          }),
      );
    },
  });
}
