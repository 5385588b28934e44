import type { DbCtx } from '@baton/db';
import { type InstallReport, installPack, type PackDefinition, PackErrors, type PermissionDeclarer } from '@baton/pack';
import { declareFlowPermissions, declareFormPermissions } from '@baton/server';
import { contracts } from '@baton-pack/contracts';
import { crm } from '@baton-pack/crm';

/** Every pack this build ships, installed (or upgraded) at each start in this order. */
export const platformPacks: readonly PackDefinition[] = [crm, contracts];

/** Per-form and per-flow permissions are declared the way the forms and flows APIs declare them. */
export const serverDeclarer: PermissionDeclarer = { form: declareFormPermissions, flow: declareFlowPermissions };

/**
 * Installs or upgrades every shipped pack, each in its own transaction; an unchanged pack costs one read. The
 * demo data of a pack is loaded only at its first install and only when asked (a freshly loaded demo organisation).
 * A newer version imported by an administrator (应用包) stays: the older shipped one is skipped with a warning,
 * so the start goes on.
 */
export async function installPlatformPacks(ctx: DbCtx, options: { demo: boolean }): Promise<InstallReport[]> {
  const reports: InstallReport[] = [];
  for (const pack of platformPacks) {
    const started = Date.now();
    let report: InstallReport;
    try {
      report = await installPack(ctx, pack, { demo: options.demo, declarer: serverDeclarer });
    } catch (error) {
      if (!PackErrors.downgrade.is(error)) throw error;
      ctx.log.warn({ pack: pack.key, version: pack.version }, `pack ${pack.key}: a newer version is installed`);
      continue;
    }
    if (report.outcome !== 'unchanged') {
      ctx.log.info(
        {
          pack: report.key,
          version: report.version,
          outcome: report.outcome,
          ms: Date.now() - started,
          ...(report.demo ? { demoRecords: report.demo.records, demoRequests: report.demo.filings } : {}),
        },
        `pack ${report.key} ${report.outcome}`,
      );
    }
    reports.push(report);
  }
  return reports;
}

/** Finds a shipped pack by key. */
export function platformPack(key: string): PackDefinition | undefined {
  return platformPacks.find((pack) => pack.key === key);
}
