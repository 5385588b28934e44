import { AccessErrors } from '@baton/access';
import type { Db, DbCtx } from '@baton/db';
import { type PackMenuItem, packMenus } from '@baton/pack';
import { getReport, ReportErrors } from '@baton/report';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import type { Caller } from '../gate.ts';
import { problemSchema } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { canStart, heldPermissions } from './flows-permissions.ts';
import { type FormRights, formRights, usable } from './forms-permissions.ts';

// The menus of installed packs (GET /api/packs/menus) for the web app's navigation and the workspace's quick
// entries. Each entry is kept only when the caller may use what it opens: a form's list when they may see the
// form at all, its new-record page when they may fill it in, a flow when they may file it, a report when they
// may read its form (as /api/reports decides). Menus left empty are dropped, so nothing leads to a refusal.

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

type ItemView = z.infer<typeof itemView>;

function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw AccessErrors.forbidden.create({ permission: 'authenticated' });
  return request.caller;
}

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
