import type { DbCtx } from '@baton/db';
import { withTx } from '@baton/db';
import { diffPack, type PackDiff } from './diff.ts';
import { PackErrors } from './errors.ts';
import { checkPackDocument } from './file.ts';
import { type InstallOptions, type InstallReport, installPack, lockInstall } from './install.ts';
import type { Label, PackDefinition, PackIssue } from './types.ts';
import { definePack } from './validate.ts';

// Import of a pack document into this installation: the file's structure (checkPackDocument), then every
// definition (validatePack, each issue with its path), then the diff against what is installed, then the
// install — validation, diff and install in one transaction, so what was diffed is what is applied.

/** What a document declares, as far as it can be read (also when it is invalid). */
export type PackSummary = {
  key: string | null;
  version: string | null;
  name: Label | null;
  hash: string | null;
  counts: { forms: number; flows: number; rules: number; reports: number; menus: number; roles: number };
};

export type ImportPreview = {
  /** Every problem of the document with its path; empty when it can be imported. */
  issues: PackIssue[];
  pack: PackSummary;
  /** What importing would change here; null while the document has issues. */
  diff: PackDiff | null;
};

export type ImportOptions = InstallOptions & {
  /** Validate and diff inside the transaction, then stop: nothing is written. */
  dryRun?: boolean;
  /**
   * The fingerprint of the diff the person confirmed (from previewImport): when what is installed has moved
   * since, the import is refused with PACK_DIFF_CHANGED instead of applying something nobody saw.
   */
  expect?: string;
};

export type ImportResult = { diff: PackDiff; report: InstallReport | null };

/** One validation pass: the defined pack, or every issue with its path. */
function analyse(document: Record<string, unknown>): { pack?: PackDefinition; issues: PackIssue[] } {
  try {
    return { pack: definePack(document), issues: [] };
  } catch (error) {
    if (!PackErrors.invalid.is(error)) throw error;
    return { issues: error.fields.map((f) => ({ ...f, message: f.message ?? f.code })) };
  }
}

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

function summaryOf(document: Record<string, unknown>, hash: string | null): PackSummary {
  const name = document.name as { zh?: unknown; en?: unknown } | undefined;
  return {
    key: typeof document.key === 'string' ? document.key.slice(0, 100) : null,
    version: typeof document.version === 'string' ? document.version.slice(0, 40) : null,
    name:
      name && typeof name.zh === 'string' && typeof name.en === 'string'
        ? { zh: name.zh.slice(0, 200), en: name.en.slice(0, 200) }
        : null,
    hash,
    counts: {
      forms: count(document.forms),
      flows: count(document.flows),
      rules: count(document.rules),
      reports: count(document.reports),
      menus: count(document.menus),
      roles: count(document.roles),
    },
  };
}

/**
 * The validation report and the diff of a pack document, without changing anything. A document that is not a
 * pack file at all (structure, format) throws PACK_FILE_INVALID / PACK_FORMAT_UNSUPPORTED; one whose
 * definitions are wrong comes back with its issues.
 */
export async function previewImport(
  ctx: DbCtx,
  document: unknown,
  options: { demo?: boolean } = {},
): Promise<ImportPreview> {
  const checked = checkPackDocument(document);
  const { issues, pack } = analyse(checked);
  if (!pack) return { issues, pack: summaryOf(checked, null), diff: null };
  const diff = await diffPack(ctx, pack, options);
  return { issues: [], pack: summaryOf(checked, pack.hash), diff };
}

/**
 * Imports a pack document: checks it (PACK_FILE_INVALID, PACK_INVALID with every path), diffs it against what
 * is installed and installs it, upgrading in place (changed forms migrate keeping their data; what the document
 * lacks stays published), all in one transaction joined if ctx.db is one. A downgrade is refused
 * (PACK_DOWNGRADE), so is a form whose stored values cannot convert (FORM_MIGRATION_UNSAFE); a refusal leaves
 * nothing behind. `dryRun` stops after the diff.
 */
export async function importPack(ctx: DbCtx, document: unknown, options: ImportOptions = {}): Promise<ImportResult> {
  const checked = checkPackDocument(document);
  const pack = definePack(checked);
  const { dryRun, expect, ...install } = options;
  return withTx(ctx, async (tx) => {
    // Taken before the diff, so a concurrent import of the same pack waits and then diffs against its result.
    if (!dryRun) await lockInstall(tx, pack);
    const diff = await diffPack(tx, pack, install);
    if (expect !== undefined && expect !== diff.fingerprint) throw PackErrors.diffChanged.create({ pack: pack.key });
    if (diff.step === 'downgrade') {
      throw PackErrors.downgrade.create({
        pack: pack.key,
        installed: diff.installedVersion ?? '',
        version: pack.version,
      });
    }
    if (dryRun) return { diff, report: null };
    const report = await installPack(tx, pack, { ...install, reapply: diff.step !== 'install' && !diff.unchanged });
    return { diff, report };
  });
}
