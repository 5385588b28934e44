import { appendAudit, EVERYONE_ROLE_CODE, grantPermissions, revokePermissions } from '@baton/access';
import { type DbCtx, forUpdate, fromJson, instant, toJson, withTx } from '@baton/db';
import { type FlowDefinitionInput, publishFlow } from '@baton/flow';
import { publishForm } from '@baton/form';
import { createRole, listRoles } from '@baton/org';
import { publishReport } from '@baton/report';
import { publishRule } from '@baton/rule';
import { type DemoReport, loadDemo } from './demo.ts';
import { PackErrors } from './errors.ts';
import { defaultDeclarer, type PermissionDeclarer, rolePermissionCodes } from './permissions.ts';
import type { PackDefinition, PackInput } from './types.ts';
import { definePack } from './validate.ts';

export type InstallOptions = {
  /** Load the pack's demo data when this is its first install (default false). */
  demo?: boolean;
  /** Declares per-form and per-flow permissions; the composition root passes the server's. */
  declarer?: PermissionDeclarer;
  /**
   * Publish even when the content hash equals the installed one: an import that restores definitions changed
   * in the designers since the install (the diff shows them).
   */
  reapply?: boolean;
  /** Added to the pack.install / pack.upgrade audit row: the caller's address, where the pack came from. */
  audit?: { ip?: string; detail?: Record<string, unknown> };
};

export type InstallReport = {
  key: string;
  version: string;
  /** installed: first time; upgraded: content changed; unchanged: same hash, nothing written. */
  outcome: 'installed' | 'upgraded' | 'unchanged';
  previousVersion: string | null;
  forms: { key: string; version: number; unchanged: boolean }[];
  flows: { key: string; version: number; unchanged: boolean }[];
  rules: { key: string; version: number; unchanged: boolean }[];
  reports: { key: string; version: number; unchanged: boolean }[];
  /** Role codes created because the organisation lacked them. */
  rolesCreated: string[];
  granted: number;
  revoked: number;
  demo: DemoReport | null;
};

/** Compares major.minor.patch versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function actorName(ctx: DbCtx): string | null {
  if (ctx.actor.kind === 'member') return ctx.actor.memberId;
  if (ctx.actor.kind === 'system') return `system:${ctx.actor.name}`;
  return null;
}

/**
 * Installs or upgrades a pack in one transaction (joined if ctx.db is one): publishes every form, flow, rule and report
 * (a changed definition becomes a new version, its table migrated without losing data; an unchanged one stays),
 * creates the roles the organisation lacks, declares and grants their permissions (revoking what an earlier
 * version granted and this one does not), loads the demo data at the first install when asked, and records the
 * installed version. The same content (hash) again is a no-op; an older version than the installed one is
 * refused (PACK_DOWNGRADE). Any failure rolls everything back.
 */
export async function installPack(
  ctx: DbCtx,
  input: PackDefinition | PackInput,
  options: InstallOptions = {},
): Promise<InstallReport> {
  const pack =
    'hash' in input && typeof input.hash === 'string' && input.hash ? (input as PackDefinition) : definePack(input);
  const declarer = options.declarer ?? defaultDeclarer;
  return withTx(ctx, async (tx) => {
    const now = instant(tx.clock.now());
    const row = await lockInstall(tx, pack);
    const fresh = row.hash === '';
    const report: InstallReport = {
      key: pack.key,
      version: pack.version,
      outcome: fresh ? 'installed' : 'upgraded',
      previousVersion: fresh ? null : row.version,
      forms: [],
      flows: [],
      rules: [],
      reports: [],
      rolesCreated: [],
      granted: 0,
      revoked: 0,
      demo: null,
    };
    if (!fresh && compareVersions(pack.version, row.version) < 0) {
      throw PackErrors.downgrade.create({ pack: pack.key, installed: row.version, version: pack.version });
    }
    if (!fresh && row.hash === pack.hash && !options.reapply) return { ...report, outcome: 'unchanged' };

    for (const form of pack.forms) {
      const published = await publishForm(tx, form);
      report.forms.push({ key: form.key, version: published.version, unchanged: published.unchanged });
      declarer.form(pack.key, form.key);
    }
    for (const flow of pack.flows) {
      const published = await publishFlow(tx, flow as unknown as FlowDefinitionInput);
      report.flows.push({ key: flow.key, version: published.version, unchanged: published.unchanged });
      declarer.flow(pack.key, flow.key);
    }
    for (const def of pack.rules) {
      const published = await publishRule(tx, def);
      report.rules.push({ key: def.key, version: published.version, unchanged: published.unchanged });
    }
    for (const def of pack.reports) {
      const published = await publishReport(tx, def);
      report.reports.push({ key: def.key, version: published.version, unchanged: published.unchanged });
    }

    const existing = new Set((await listRoles(tx)).map((role) => role.code));
    const codes = rolePermissionCodes(pack);
    const before = fromJson<Record<string, string[]>>(row.granted) ?? {};
    for (const role of pack.roles) {
      if (!existing.has(role.code)) {
        await createRole(tx, {
          code: role.code,
          name: role.name.zh,
          nameEn: role.name.en,
          // `everyone` is the platform's implicit role (every active member holds it); a pack grants to it.
          kind: role.code === EVERYONE_ROLE_CODE ? 'system' : 'business',
          ...(role.description ? { description: role.description.zh } : {}),
        });
        report.rolesCreated.push(role.code);
      }
      const wanted = codes.get(role.code) ?? [];
      if (wanted.length > 0) {
        await grantPermissions(tx, { role: role.code, permissions: wanted });
        report.granted += wanted.length;
      }
    }
    for (const [role, previous] of Object.entries(before)) {
      const wanted = new Set(codes.get(role) ?? []);
      const dropped = previous.filter((code) => !wanted.has(code));
      if (dropped.length > 0 && existing.has(role)) {
        await revokePermissions(tx, { role, permissions: dropped });
        report.revoked += dropped.length;
      }
    }

    const loadDemoNow = fresh && options.demo === true && hasDemo(pack);
    if (loadDemoNow) report.demo = await loadDemo(tx, pack);

    await tx.db
      .updateTable('baton_pack_install')
      .set({
        version: pack.version,
        hash: pack.hash,
        name: toJson(tx.db, pack.name),
        document: toJson(tx.db, pack),
        granted: toJson(tx.db, Object.fromEntries(codes)),
        updatedAt: now,
        ...(loadDemoNow ? { demoLoadedAt: now } : {}),
      })
      .where('key', '=', pack.key)
      .execute();
    await appendAudit(tx, {
      action: fresh ? 'pack.install' : 'pack.upgrade',
      target: { type: 'pack', id: pack.key },
      ...(options.audit?.ip ? { ip: options.audit.ip } : {}),
      detail: {
        ...options.audit?.detail,
        version: pack.version,
        previousVersion: report.previousVersion,
        hash: pack.hash,
        forms: report.forms,
        flows: report.flows,
        rules: report.rules,
        reports: report.reports,
        rolesCreated: report.rolesCreated,
        demo: report.demo ? { records: report.demo.records, filings: report.demo.filings } : null,
      },
    });
    return report;
  });
}

/**
 * Takes the pack's install row for this transaction. A placeholder row (hash '') inserted first serialises
 * concurrent installers of the same pack on its key: the second waits on the unique key, then finds the first
 * one's committed row. The placeholder of a pack never installed leaves with a rollback.
 */
export async function lockInstall(tx: DbCtx, pack: Pick<PackDefinition, 'key' | 'version' | 'name'>) {
  const now = instant(tx.clock.now());
  await tx.db
    .insertInto('baton_pack_install')
    .values({
      key: pack.key,
      version: pack.version,
      hash: '',
      name: toJson(tx.db, pack.name),
      document: toJson(tx.db, {}),
      granted: toJson(tx.db, {}),
      installedAt: now,
      installedBy: actorName(tx),
      updatedAt: now,
      demoLoadedAt: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return forUpdate(
    tx.db.selectFrom('baton_pack_install').selectAll().where('key', '=', pack.key),
    tx.db,
  ).executeTakeFirstOrThrow();
}

export function hasDemo(pack: Pick<PackDefinition, 'demo'>): boolean {
  const demo = pack.demo;
  return Boolean(demo.assignments?.length || demo.records?.length || demo.filings?.length);
}

/** Installs or upgrades each pack in turn, each in its own transaction. */
export async function installPacks(
  ctx: DbCtx,
  packs: readonly PackDefinition[],
  options: InstallOptions = {},
): Promise<InstallReport[]> {
  const reports: InstallReport[] = [];
  for (const pack of packs) reports.push(await installPack(ctx, pack, options));
  return reports;
}
