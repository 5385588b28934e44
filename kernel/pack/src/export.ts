import { type DbCtx, fromJson } from '@baton/db';
import type { FlowDefinition } from '@baton/flow';
import type { FormDefinition } from '@baton/form';
import type { ReportDefinition } from '@baton/report';
import type { RuleDefinition } from '@baton/rule';
import { PackErrors } from './errors.ts';
import type { Label, PackDefinition, PackMenu } from './types.ts';

/** The exchange format of a pack: what `baton pack export` writes and validatePack / import read. */
export type PackDocument = Omit<PackDefinition, 'hash' | 'forms' | 'flows' | 'rules' | 'reports'> & {
  format: 'baton.pack/1';
  exportedAt: string;
  forms: FormDefinition[];
  flows: FlowDefinition[];
  rules: RuleDefinition[];
  reports: ReportDefinition[];
};

export const PACK_FORMAT = 'baton.pack/1';

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

async function installedDocument(ctx: DbCtx, key: string): Promise<PackDefinition> {
  const row = await ctx.db
    .selectFrom('baton_pack_install')
    .select(['document', 'hash'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || row.hash === '') throw PackErrors.notInstalled.create({ pack: key });
  return fromJson<PackDefinition>(row.document);
}

async function latestDefinitions<T>(
  ctx: DbCtx,
  table: 'baton_form_definition' | 'baton_flow_definition' | 'baton_rule_definition' | 'baton_report_definition',
  pack: string,
): Promise<T[]> {
  const rows = await ctx.db
    .selectFrom(table)
    .select(['key', 'version', 'definition'])
    .where('pack', '=', pack)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<string>();
  const latest: T[] = [];
  for (const row of rows) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    latest.push(fromJson<T>(row.definition));
  }
  return latest;
}

/**
 * An installed pack as one document: its menus, roles, locales (and demo data when asked) as installed, and
 * the latest published version of every form, flow, rule and report of the pack, so changes made in the designers after
 * the install travel with it. Forms and flows keep the order of the installed pack; newer ones follow.
 */
export async function exportPack(ctx: DbCtx, input: { key: string; includeDemo?: boolean }): Promise<PackDocument> {
  const installed = await installedDocument(ctx, input.key);
  const order = (keys: readonly string[]) => (a: { key: string }, b: { key: string }) => {
    const ia = keys.indexOf(a.key);
    const ib = keys.indexOf(b.key);
    return (ia < 0 ? keys.length : ia) - (ib < 0 ? keys.length : ib) || a.key.localeCompare(b.key);
  };
  const forms = (await latestDefinitions<FormDefinition>(ctx, 'baton_form_definition', input.key)).sort(
    order(installed.forms.map((f) => f.key)),
  );
  const flows = (await latestDefinitions<FlowDefinition>(ctx, 'baton_flow_definition', input.key)).sort(
    order(installed.flows.map((f) => f.key)),
  );
  const rules = (await latestDefinitions<RuleDefinition>(ctx, 'baton_rule_definition', input.key)).sort(
    order(installed.rules.map((r) => r.key)),
  );
  const reports = (await latestDefinitions<ReportDefinition>(ctx, 'baton_report_definition', input.key)).sort(
    order(installed.reports.map((r) => r.key)),
  );
  const { hash: _hash, demo, ...rest } = installed;
  return {
    format: PACK_FORMAT,
    exportedAt: ctx.clock.now().toISOString(),
    ...rest,
    forms,
    flows,
    rules,
    reports,
    demo: input.includeDemo ? demo : {},
  };
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
