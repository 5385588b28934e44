import { listRolePermissions } from '@baton/access';
import { type DbCtx, fromJson } from '@baton/db';
import type { FlowDefinition } from '@baton/flow';
import type { FormDefinition } from '@baton/form';
import { listRoles } from '@baton/org';
import type { ReportDefinition } from '@baton/report';
import type { RuleDefinition } from '@baton/rule';
import { PackErrors } from './errors.ts';
import { PACK_FORMAT } from './file.ts';
import { flowStartCode, formPermissionCode, rightCodes } from './permissions.ts';
import {
  grantableScopes,
  type Label,
  type PackDefinition,
  type PackMenu,
  type PackMenuItem,
  type PackRight,
  type PackRole,
} from './types.ts';
import { definePack } from './validate.ts';

/** The exchange format of a pack: what `baton pack export` writes and validatePack / import read. */
export type PackDocument = Omit<PackDefinition, 'hash' | 'forms' | 'flows' | 'rules' | 'reports'> & {
  format: 'baton.pack/1';
  exportedAt: string;
  forms: FormDefinition[];
  flows: FlowDefinition[];
  rules: RuleDefinition[];
  reports: ReportDefinition[];
};

export type InstalledPack = {
  key: string;
  version: string;
  hash: string;
  name: Label;
  installedAt: string;
  updatedAt: string;
  demoLoadedAt: string | null;
};

export async function listInstalledPacks(ctx: DbCtx): Promise<InstalledPack[]> {
  const rows = await ctx.db
    .selectFrom('baton_pack_install')
    .select(['key', 'version', 'hash', 'name', 'installedAt', 'updatedAt', 'demoLoadedAt'])
    .where('hash', '<>', '')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({ ...row, name: fromJson<Label>(row.name) }));
}

async function installedRow(ctx: DbCtx, key: string): Promise<PackDefinition | undefined> {
  const row = await ctx.db
    .selectFrom('baton_pack_install')
    .select(['document', 'hash'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row && row.hash !== '' ? fromJson<PackDefinition>(row.document) : undefined;
}

async function installedDocument(ctx: DbCtx, key: string): Promise<PackDefinition> {
  const installed = await installedRow(ctx, key);
  if (!installed) throw PackErrors.notInstalled.create({ pack: key });
  return installed;
}

type DefinitionTable =
  | 'baton_form_definition'
  | 'baton_flow_definition'
  | 'baton_rule_definition'
  | 'baton_report_definition';

/** The latest published version of every definition of a pack in one table, with its version number. */
export async function latestDefinitions<T>(
  ctx: DbCtx,
  table: DefinitionTable,
  pack: string,
): Promise<{ key: string; version: number; definition: T }[]> {
  const rows = await ctx.db
    .selectFrom(table)
    .select(['key', 'version', 'definition'])
    .where('pack', '=', pack)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<string>();
  const latest: { key: string; version: number; definition: T }[] = [];
  for (const row of rows) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    latest.push({ key: row.key, version: Number(row.version), definition: fromJson<T>(row.definition) });
  }
  return latest;
}

/** Sorts by a given order of keys; keys not in it follow, alphabetically. */
function byOrder<T>(keys: readonly string[], keyOf: (item: T) => string = (item) => (item as { key: string }).key) {
  return (a: T, b: T): number => {
    const ia = keys.indexOf(keyOf(a));
    const ib = keys.indexOf(keyOf(b));
    return (ia < 0 ? keys.length : ia) - (ib < 0 ? keys.length : ib) || keyOf(a).localeCompare(keyOf(b));
  };
}

/** The pack rights a set of permission codes amounts to, over the pack's forms and flows (in their order). */
function rightsOf(codes: ReadonlySet<string>, pack: string, forms: readonly string[], flows: readonly string[]) {
  const rights: PackRight[] = [];
  for (const form of forms) {
    const read = grantableScopes.filter((scope) => codes.has(formPermissionCode(pack, form, `read.${scope}`)));
    const write = grantableScopes.filter((scope) => codes.has(formPermissionCode(pack, form, `write.${scope}`)));
    const create = codes.has(formPermissionCode(pack, form, 'create'));
    if (!create && read.length === 0 && write.length === 0) continue;
    rights.push({
      form,
      ...(create ? { create: true } : {}),
      ...(read.length ? { read } : {}),
      ...(write.length ? { write } : {}),
    });
  }
  for (const flow of flows) if (codes.has(flowStartCode(pack, flow))) rights.push({ flow, start: true });
  return rights;
}

/** Role codes the flows route to (`{ source: 'role', role }` assignees). */
function routedRoles(flows: readonly FlowDefinition[]): Set<string> {
  const codes = new Set<string>();
  for (const flow of flows) {
    for (const node of flow.nodes as readonly { assignees?: readonly unknown[] }[]) {
      for (const spec of node.assignees ?? []) {
        const assignee = spec as { source?: unknown; role?: unknown };
        if (assignee.source === 'role' && typeof assignee.role === 'string') codes.add(assignee.role);
      }
    }
  }
  return codes;
}

/**
 * The pack's roles as the installation grants them now: every role holding a permission on the pack's forms or
 * flows (grants made in the role editor included), every role a flow routes to, and the roles an installed
 * version declared. A declared role whose grants are still exactly what it declared keeps its text as written.
 */
async function currentRoles(
  ctx: DbCtx,
  pack: string,
  forms: readonly string[],
  flows: readonly FlowDefinition[],
  declared: readonly PackRole[],
): Promise<PackRole[]> {
  const flowKeys = flows.map((flow) => flow.key);
  const routed = routedRoles(flows);
  const prefixes = [`form.${pack}.`, `flow.${pack}.`];
  const roles: PackRole[] = [];
  for (const role of await listRoles(ctx)) {
    const held = (await listRolePermissions(ctx, { role: role.code })).filter((code) =>
      prefixes.some((prefix) => code.startsWith(prefix)),
    );
    const permissions = rightsOf(new Set(held), pack, forms, flowKeys);
    const mine = declared.find((d) => d.code === role.code);
    if (!mine && permissions.length === 0 && !routed.has(role.code)) continue;
    const unchanged =
      mine !== undefined && rightCodes(pack, mine.permissions).join() === rightCodes(pack, permissions).join();
    roles.push(
      unchanged
        ? mine
        : {
            code: role.code,
            name: mine?.name ?? { zh: role.name, en: role.nameEn || role.name },
            ...(mine?.description ? { description: mine.description } : {}),
            permissions,
          },
    );
  }
  const order = declared.map((role) => role.code);
  return roles.sort(byOrder(order, (role) => role.code));
}

/** One menu over an app assembled in the designers: archives' lists, flows, reports, each keyed uniquely. */
function generatedMenus(
  pack: string,
  name: Label,
  forms: readonly FormDefinition[],
  flows: readonly FlowDefinition[],
  reports: readonly ReportDefinition[],
): PackMenu[] {
  const items: PackMenuItem[] = [];
  const taken = new Set<string>();
  const keyFor = (key: string) => {
    let candidate = key;
    for (let n = 2; taken.has(candidate); n++) candidate = `${key.slice(0, 36)}${n}`;
    taken.add(candidate);
    return candidate;
  };
  for (const form of forms) {
    if (form.kind === 'archive') items.push({ key: keyFor(form.key), label: form.label, form: form.key });
  }
  for (const flow of flows) items.push({ key: keyFor(flow.key), label: flow.name, flow: flow.key });
  for (const report of reports) items.push({ key: keyFor(report.key), label: report.label, report: report.key });
  return items.length > 0 ? [{ key: pack, label: name, items }] : [];
}

export type ExportOptions = {
  key: string;
  /** Carry the demo data of the installed version (an app assembled in the designers has none). */
  includeDemo?: boolean;
  /** The version the document declares (default: the installed one, or 1.0.0). */
  version?: string;
  /** The name the document declares (default: the installed one, or the key). */
  name?: Label;
};

/**
 * A pack as one document, ready for another installation. An installed pack: its menus, locales (and demo data
 * when asked) as installed. An app assembled in the designers under a pack key (nothing installed): one menu
 * over its archives, flows and reports, no texts. Both: the latest published version of every form, flow, rule
 * and report under the key (changes made in the designers travel with it) and the roles as granted now. The
 * document is validated as a pack before it is handed out (PACK_INVALID with every path otherwise: a flow on
 * another pack's form cannot travel), so what is exported can be imported. PACK_NOT_INSTALLED when the key has
 * neither an installed pack nor a published form.
 */
export async function exportPack(ctx: DbCtx, input: ExportOptions): Promise<PackDocument> {
  const installed = await installedRow(ctx, input.key);
  const latest = async <T>(table: DefinitionTable, order: readonly string[]) =>
    (await latestDefinitions<T & { key: string }>(ctx, table, input.key))
      .map((row) => row.definition)
      .sort(byOrder(order));
  const forms = await latest<FormDefinition>('baton_form_definition', installed?.forms.map((f) => f.key) ?? []);
  if (!installed && forms.length === 0) throw PackErrors.notInstalled.create({ pack: input.key });
  const flows = await latest<FlowDefinition>('baton_flow_definition', installed?.flows.map((f) => f.key) ?? []);
  const rules = await latest<RuleDefinition>('baton_rule_definition', installed?.rules.map((r) => r.key) ?? []);
  const reports = await latest<ReportDefinition>('baton_report_definition', installed?.reports.map((r) => r.key) ?? []);
  const name = input.name ?? installed?.name ?? { zh: input.key, en: input.key };
  const roles = await currentRoles(
    ctx,
    input.key,
    forms.map((form) => form.key),
    flows,
    installed?.roles ?? [],
  );
  const document: PackDocument = {
    format: PACK_FORMAT,
    exportedAt: ctx.clock.now().toISOString(),
    key: input.key,
    version: input.version ?? installed?.version ?? '1.0.0',
    name,
    ...(installed?.description ? { description: installed.description } : {}),
    forms,
    flows,
    rules,
    reports,
    menus: installed ? [...installed.menus] : generatedMenus(input.key, name, forms, flows, reports),
    roles,
    locales: installed?.locales ?? { 'zh-CN': {}, 'en-US': {} },
    demo: input.includeDemo && installed ? installed.demo : {},
  };
  definePack(document);
  return document;
}

/** The menus of every installed pack, in pack order, for the navigation. */
export async function packMenus(ctx: DbCtx): Promise<{ pack: string; name: Label; menus: readonly PackMenu[] }[]> {
  const result: { pack: string; name: Label; menus: readonly PackMenu[] }[] = [];
  for (const installed of await listInstalledPacks(ctx)) {
    const doc = await installedDocument(ctx, installed.key);
    result.push({ pack: installed.key, name: installed.name, menus: doc.menus });
  }
  return result;
}

/** The texts of every installed pack in one locale, keyed `<pack>.<key>`. */
export async function packLocales(ctx: DbCtx, locale: 'zh-CN' | 'en-US'): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const installed of await listInstalledPacks(ctx)) {
    const doc = await installedDocument(ctx, installed.key);
    for (const [key, text] of Object.entries(doc.locales[locale])) texts[`${installed.key}.${key}`] = text;
  }
  return texts;
}

/** A pack key with published definitions: an installed pack, or an app assembled in the designers. */
export type PackCandidate = {
  key: string;
  counts: { forms: number; flows: number; rules: number; reports: number };
};

/**
 * Every pack key under which forms are published, with how many forms, flows, rules and reports it has (latest
 * versions): what can be exported, installed or not.
 */
export async function listPackCandidates(ctx: DbCtx): Promise<PackCandidate[]> {
  const counts = new Map<string, PackCandidate['counts']>();
  const tables = [
    ['forms', 'baton_form_definition'],
    ['flows', 'baton_flow_definition'],
    ['rules', 'baton_rule_definition'],
    ['reports', 'baton_report_definition'],
  ] as const;
  for (const [name, table] of tables) {
    const rows = await ctx.db
      .selectFrom(table)
      .select((eb) => ['pack', eb.fn.count<number | string>('key').distinct().as('n')])
      .groupBy('pack')
      .execute();
    for (const row of rows) {
      if (name !== 'forms' && !counts.has(row.pack)) continue;
      const entry = counts.get(row.pack) ?? { forms: 0, flows: 0, rules: 0, reports: 0 };
      entry[name] = Number(row.n);
      counts.set(row.pack, entry);
    }
  }
  return [...counts].map(([key, c]) => ({ key, counts: c })).sort((a, b) => a.key.localeCompare(b.key));
}
