import { createHash } from 'node:crypto';
import { listRolePermissions } from '@baton/access';
import { type DbCtx, fromJson } from '@baton/db';
import type { FlowDefinition } from '@baton/flow';
import { type FormDefinition, type PlanStep, previewPublish } from '@baton/form';
import { listRoles } from '@baton/org';
import type { ReportDefinition } from '@baton/report';
import type { RuleDefinition } from '@baton/rule';
import { latestDefinitions } from './export.ts';
import { compareVersions, hasDemo } from './install.ts';
import { rightCodes } from './permissions.ts';
import type { Label, PackDefinition, PackMenu, PackRole } from './types.ts';

// What installing a pack would change, against what is installed: each form, flow, rule and report against the
// latest version published under the pack's key (whoever published it: an earlier install or the designers),
// menus and roles against the installed version, role grants against what the roles hold now. Reads only.

/** `removed`: installed but not in the pack — it stays published and keeps its data (nothing is dropped). */
export type DiffChange = 'added' | 'changed' | 'removed' | 'unchanged';
/** `install`: the pack was never installed; `downgrade` is refused (PACK_DOWNGRADE). */
export type VersionStep = 'install' | 'upgrade' | 'same' | 'downgrade';

export type DefinitionDiff = {
  key: string;
  label: Label | null;
  change: DiffChange;
  /** The latest published version under the pack's key; null when there is none. */
  installedVersion: number | null;
};

export type FormDiff = DefinitionDiff & {
  /**
   * For an added or changed form, what publishing it does to the tables (kernel/form's migration preview):
   * `createTable`, `add` (new column), `keep`, `hidden` (a field left out: column and data kept), `convert`,
   * `refused` (a type change some stored values cannot take: the import is refused, with the rows).
   */
  steps: PlanStep[];
  ok: boolean;
};

/**
 * `reason: 'form'`: the flow itself is unchanged but its form changes, so it is published again pinned to the
 * new form version (a rule likewise when a form or flow it names changes).
 */
export type DependentDiff = DefinitionDiff & { reason?: 'definition' | 'form' };

export type MenuDiff = { key: string; label: Label; change: DiffChange };

export type RoleDiff = {
  code: string;
  name: Label;
  /** `added`: the organisation lacks the role and the import creates it. */
  change: DiffChange;
  exists: boolean;
  /** Permission codes the role gains. */
  grant: string[];
  /** Codes the installed version granted and this one does not: revoked (grants made by hand stay). */
  revoke: string[];
};

export type PackDiff = {
  key: string;
  version: string;
  name: Label;
  installedVersion: string | null;
  step: VersionStep;
  /** The same content as installed and every definition as published: importing writes nothing. */
  unchanged: boolean;
  /** False for a downgrade or a form whose stored values cannot convert: the import would be refused. */
  ok: boolean;
  forms: FormDiff[];
  flows: DependentDiff[];
  rules: DependentDiff[];
  reports: DefinitionDiff[];
  menus: MenuDiff[];
  roles: RoleDiff[];
  /** The pack's demo data, and whether this import loads it (only at a first install, when asked). */
  demo: { assignments: number; records: number; filings: number; load: boolean };
  /** sha256 of everything above: an import given it refuses to run when what is installed moved since. */
  fingerprint: string;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** `pack.key` references a definition holds: `'pack.key'` strings and `{ pack, key }` objects, anywhere. */
function referencesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (/^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/.test(value)) into.add(value);
  } else if (Array.isArray(value)) for (const item of value) referencesOf(item, into);
  else if (isRecord(value)) {
    if (typeof value.pack === 'string' && typeof value.key === 'string') into.add(`${value.pack}.${value.key}`);
    for (const item of Object.values(value)) referencesOf(item, into);
  }
  return into;
}

type Installed<T> = Map<string, { version: number; definition: T }>;

async function installedOf<T>(
  ctx: DbCtx,
  table: Parameters<typeof latestDefinitions>[1],
  pack: string,
): Promise<Installed<T>> {
  const rows = await latestDefinitions<T>(ctx, table, pack);
  return new Map(rows.map((row) => [row.key, { version: row.version, definition: row.definition }]));
}

/** Definitions compared by hash; those installed but missing from the pack are listed as removed. */
function compare<T extends { key: string; hash: string }>(
  incoming: readonly T[],
  installed: Installed<T>,
  labelOf: (def: T) => Label,
): DefinitionDiff[] {
  const diffs: DefinitionDiff[] = incoming.map((def) => {
    const current = installed.get(def.key);
    return {
      key: def.key,
      label: labelOf(def),
      change: !current ? 'added' : current.definition.hash === def.hash ? 'unchanged' : 'changed',
      installedVersion: current?.version ?? null,
    };
  });
  const keys = new Set(incoming.map((def) => def.key));
  for (const [key, current] of installed) {
    if (!keys.has(key)) {
      diffs.push({ key, label: labelOf(current.definition), change: 'removed', installedVersion: current.version });
    }
  }
  return diffs;
}

function byKey<T extends { key: string }>(incoming: readonly T[], installed: readonly T[], labelOf: (t: T) => Label) {
  const before = new Map(installed.map((item) => [item.key, item]));
  const diffs: MenuDiff[] = incoming.map((item) => {
    const current = before.get(item.key);
    const change: DiffChange = !current ? 'added' : sameJson(current, item) ? 'unchanged' : 'changed';
    return { key: item.key, label: labelOf(item), change };
  });
  const keys = new Set(incoming.map((item) => item.key));
  for (const item of installed) {
    if (!keys.has(item.key)) diffs.push({ key: item.key, label: labelOf(item), change: 'removed' });
  }
  return diffs;
}

/**
 * What installing `pack` would change here, without changing anything: per form (with the migration preview of
 * its tables), flow, rule, report, menu and role, `added` / `changed` / `removed` (kept) / `unchanged`, and the
 * version step. Run it inside the importing transaction to diff exactly what the import applies.
 */
export async function diffPack(ctx: DbCtx, pack: PackDefinition, options: { demo?: boolean } = {}): Promise<PackDiff> {
  const row = await ctx.db
    .selectFrom('baton_pack_install')
    .select(['version', 'hash', 'document', 'granted'])
    .where('key', '=', pack.key)
    .where('hash', '<>', '')
    .executeTakeFirst();
  const document = row ? fromJson<PackDefinition>(row.document) : undefined;
  const granted = row ? (fromJson<Record<string, string[]>>(row.granted) ?? {}) : {};
  const order = row ? compareVersions(pack.version, row.version) : 1;
  const step: VersionStep = !row ? 'install' : order > 0 ? 'upgrade' : order === 0 ? 'same' : 'downgrade';

  // Forms: the engine's own preview says which columns are added, kept, hidden, converted or refused.
  const installedForms = await installedOf<FormDefinition>(ctx, 'baton_form_definition', pack.key);
  const forms: FormDiff[] = [];
  for (const diff of compare(pack.forms, installedForms, (form) => form.label)) {
    const form = pack.forms.find((f) => f.key === diff.key);
    if (!form || diff.change === 'unchanged') {
      forms.push({ ...diff, steps: [], ok: true });
      continue;
    }
    const plan = await previewPublish(ctx, form);
    forms.push({ ...diff, steps: plan.steps, ok: plan.ok });
  }
  const changedForms = new Set(
    forms.filter((f) => f.change === 'added' || f.change === 'changed').map((f) => `${pack.key}.${f.key}`),
  );

  const installedFlows = await installedOf<FlowDefinition>(ctx, 'baton_flow_definition', pack.key);
  const flows: DependentDiff[] = compare(pack.flows, installedFlows, (flow) => flow.name).map((diff) => {
    const flow = pack.flows.find((f) => f.key === diff.key);
    if (diff.change === 'changed') return { ...diff, reason: 'definition' };
    if (diff.change === 'unchanged' && flow && changedForms.has(`${flow.form.pack}.${flow.form.key}`)) {
      return { ...diff, change: 'changed', reason: 'form' };
    }
    return diff;
  });
  const changedFlows = new Set(
    flows.filter((f) => f.change === 'added' || f.change === 'changed').map((f) => `${pack.key}.${f.key}`),
  );

  const installedRules = await installedOf<RuleDefinition>(ctx, 'baton_rule_definition', pack.key);
  const rules: DependentDiff[] = compare(pack.rules, installedRules, (rule) => rule.name).map((diff) => {
    const rule = pack.rules.find((r) => r.key === diff.key);
    if (diff.change === 'changed') return { ...diff, reason: 'definition' };
    if (diff.change === 'unchanged' && rule) {
      const names = referencesOf(rule);
      if ([...names].some((name) => changedForms.has(name) || changedFlows.has(name))) {
        return { ...diff, change: 'changed', reason: 'form' };
      }
    }
    return diff;
  });

  const installedReports = await installedOf<ReportDefinition>(ctx, 'baton_report_definition', pack.key);
  const reports = compare(pack.reports, installedReports, (report) => report.label);

  const menus = byKey<PackMenu>(pack.menus, document?.menus ?? [], (menu) => menu.label);

  // Roles: what the organisation holds now against what this version grants and the installed one granted.
  const orgRoles = new Map((await listRoles(ctx)).map((role) => [role.code, role]));
  const declared = new Map<string, PackRole>((document?.roles ?? []).map((role) => [role.code, role]));
  const roles: RoleDiff[] = [];
  for (const role of pack.roles) {
    const exists = orgRoles.has(role.code);
    const wanted = rightCodes(pack.key, role.permissions);
    const held = new Set(exists ? await listRolePermissions(ctx, { role: role.code }) : []);
    const grant = wanted.filter((code) => !held.has(code));
    const revoke = exists ? (granted[role.code] ?? []).filter((code) => !wanted.includes(code) && held.has(code)) : [];
    const before = declared.get(role.code);
    const renamed = before !== undefined && !sameJson(before.name, role.name);
    const change: DiffChange = !exists
      ? 'added'
      : grant.length > 0 || revoke.length > 0 || renamed
        ? 'changed'
        : 'unchanged';
    roles.push({ code: role.code, name: role.name, change, exists, grant, revoke });
  }
  const codes = new Set(pack.roles.map((role) => role.code));
  for (const [code, previous] of Object.entries(granted)) {
    if (codes.has(code)) continue;
    const exists = orgRoles.has(code);
    const held = new Set(exists ? await listRolePermissions(ctx, { role: code }) : []);
    const org = orgRoles.get(code);
    roles.push({
      code,
      name: declared.get(code)?.name ?? { zh: org?.name ?? code, en: org?.nameEn || org?.name || code },
      change: 'removed',
      exists,
      grant: [],
      revoke: previous.filter((permission) => held.has(permission)),
    });
  }

  const demo = {
    assignments: pack.demo.assignments?.length ?? 0,
    records: pack.demo.records?.length ?? 0,
    filings: pack.demo.filings?.length ?? 0,
    load: !row && options.demo === true && hasDemo(pack),
  };
  const moved = (entry: { change: DiffChange }) => entry.change === 'added' || entry.change === 'changed';
  const settled =
    ![...forms, ...flows, ...rules, ...reports, ...menus, ...roles].some(moved) &&
    roles.every((role) => role.revoke.length === 0);
  const body: Omit<PackDiff, 'fingerprint'> = {
    key: pack.key,
    version: pack.version,
    name: pack.name,
    installedVersion: row?.version ?? null,
    step,
    unchanged: row?.hash === pack.hash && settled,
    ok: step !== 'downgrade' && forms.every((form) => form.ok),
    forms,
    flows,
    rules,
    reports,
    menus,
    roles,
    demo,
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(canonical({ ...body, hash: pack.hash })))
    .digest('hex');
  return { ...body, fingerprint };
}
