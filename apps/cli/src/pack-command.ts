import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBatonError, type Logger, pickLocale, systemActor, systemClock } from '@baton/core';
import {
  type DiffChange,
  exportPack,
  importPack,
  type Label,
  type PackDiff,
  PackErrors,
  PackFileLimits,
  type PackIssue,
  packFileText,
  previewImport,
  readPackFile,
  validatePack,
} from '@baton/pack';
import type { Config } from './config.ts';
import { platformPacks, serverDeclarer } from './packs.ts';
import { openPlatformDatabase } from './platform.ts';

// `baton pack validate <dir|file|all>`, `baton pack export <key>` and `baton pack import <file>`: the same
// kernel/pack operations the HTTP API (/api/packs) and the admin page 应用包 use.

export const packUsage = `  pack validate <dir|file|all>  check a pack folder (its pack.ts), an exported .json document, or every
                                shipped pack; prints every problem with its path; exit 1 when any is invalid
  pack export <key> [--out <file>] [--with-demo] [--pack-version <x.y.z>]
                                write a pack as one JSON file: an installed pack, or an app assembled in the
                                designers under that key (latest form, flow, rule and report versions, menus,
                                roles as granted; demo data with --with-demo)
  pack import <file> [--dry-run] [--with-demo]
                                check a pack file, print every problem with its path and the diff against what
                                is installed, then install or upgrade it in place (data kept) in one
                                transaction; --dry-run stops after the diff; --with-demo loads its demo data
                                at a first install`;

/** Where output goes; the callback fires once the text is flushed (a pipe must drain before process.exit). */
type Out = { write(text: string, done?: () => void): unknown };

const flushed = (out: Out, text: string) => new Promise<void>((resolve) => out.write(text, () => resolve()));

function describe(
  issues: readonly PackIssue[] | readonly { path: readonly (string | number)[]; message?: string; code: string }[],
) {
  return issues.map(
    (issue) => `    ${issue.path.join('.') || '(pack)'}: ${issue.message ?? issue.code} [${issue.code}]`,
  );
}

/** Loads what a path names: a folder's pack.ts (its default or first pack-shaped export), or a JSON document. */
async function load(target: string): Promise<{ name: string; value: unknown }> {
  const resolved = path.resolve(target);
  if (!existsSync(resolved)) throw new Error(`${target}: no such file or folder`);
  if (statSync(resolved).isDirectory()) {
    const file = path.join(resolved, 'pack.ts');
    if (!existsSync(file)) throw new Error(`${target}: no pack.ts in this folder`);
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const candidates = [module.default, ...Object.values(module)];
    const pack = candidates.find(
      (value) => typeof value === 'object' && value !== null && 'forms' in value && 'key' in value,
    );
    if (!pack) throw new Error(`${target}/pack.ts exports no pack`);
    return { name: path.relative(process.cwd(), file) || file, value: pack };
  }
  return { name: target, value: JSON.parse(readFileSync(resolved, 'utf8')) };
}

function summary(value: unknown): string {
  const pack = value as {
    key: string;
    version: string;
    forms: unknown[];
    flows: unknown[];
    roles: unknown[];
    menus: unknown[];
  };
  return `${pack.key} ${pack.version}: ok (${pack.forms.length} forms, ${pack.flows.length} flows, ${pack.roles.length} roles, ${pack.menus.length} menus)`;
}

export async function validateCommand(target: string, out: Out): Promise<number> {
  const targets: { name: string; load: () => Promise<unknown> }[] =
    target === 'all'
      ? platformPacks.map((pack) => ({ name: pack.key, load: async () => pack }))
      : [{ name: target, load: async () => (await load(target)).value }];
  let failed = 0;
  for (const item of targets) {
    let value: unknown;
    try {
      value = await item.load();
    } catch (error) {
      // definePack (or defineForm / defineFlow) in the pack's own files refused it while loading.
      failed++;
      out.write(`${item.name}: invalid\n`);
      if (isBatonError(error)) out.write(`  ${error.message}\n${describe(error.fields).join('\n')}\n`);
      else out.write(`  ${error instanceof Error ? error.message : String(error)}\n`);
      continue;
    }
    const issues = validatePack(value);
    if (issues.length === 0) out.write(`${summary(value)}\n`);
    else {
      failed++;
      out.write(`${item.name}: invalid, ${issues.length} problem(s)\n${describe(issues).join('\n')}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

export async function exportCommand(
  config: Config,
  log: Logger,
  key: string,
  options: { out?: string; withDemo?: boolean; version?: string },
  out: Out,
): Promise<number> {
  const database = openPlatformDatabase(config, log);
  try {
    const ctx = { db: database.db, actor: systemActor('cli'), clock: systemClock, log };
    const document = await exportPack(ctx, {
      key,
      includeDemo: options.withDemo === true,
      ...(options.version ? { version: options.version } : {}),
    });
    const text = packFileText(document);
    if (options.out) {
      writeFileSync(options.out, text);
      out.write(
        `exported ${document.key} ${document.version} (${document.forms.length} forms, ${document.flows.length} flows) to ${options.out}\n`,
      );
    } else await flushed(out, text);
    return 0;
  } finally {
    await database.destroy();
  }
}

const marks: Record<DiffChange, string> = { added: '+', changed: '~', removed: '-', unchanged: '=' };
const words: Record<DiffChange, string> = {
  added: 'added',
  changed: 'changed',
  removed: 'not in the file: kept as it is',
  unchanged: 'unchanged',
};

/** The diff as lines a person reads in a terminal: one per form, flow, rule, report, menu and role. */
export function describeDiff(diff: PackDiff, locale: 'zh-CN' | 'en-US' = 'en-US'): string[] {
  const text = (label: Label | null) => (label ? (locale === 'zh-CN' ? label.zh : label.en) : '');
  const step = {
    install: 'first install',
    upgrade: `upgrade from ${diff.installedVersion}`,
    same: `same version as installed${diff.unchanged ? ', nothing to change' : ''}`,
    downgrade: `REFUSED: ${diff.installedVersion} is installed, ${diff.version} is older`,
  }[diff.step];
  const lines = [`${diff.key} ${diff.version} (${text(diff.name)}): ${step}`];
  const section = (title: string, entries: { key: string; change: DiffChange; detail?: string }[]) => {
    if (entries.length === 0) return;
    lines.push(`  ${title}:`);
    for (const entry of entries) {
      lines.push(
        `    ${marks[entry.change]} ${entry.key}: ${words[entry.change]}${entry.detail ? ` — ${entry.detail}` : ''}`,
      );
    }
  };
  section(
    'forms',
    diff.forms.map((form) => {
      const by = (action: string) => form.steps.filter((s) => s.action === action);
      const parts = [
        by('createTable').length ? `new table${by('createTable').length > 1 ? 's' : ''}` : '',
        by('add').length
          ? `add ${by('add')
              .map((s) => s.column)
              .join(', ')}`
          : '',
        by('keep').length && form.change === 'changed' ? `keep ${by('keep').length}` : '',
        by('hidden').length
          ? `hide ${by('hidden')
              .map((s) => s.path)
              .join(', ')} (data kept)`
          : '',
        by('convert').length
          ? `convert ${by('convert')
              .map((s) => `${s.path} ${s.from}→${s.to}`)
              .join(', ')}`
          : '',
        by('refused').length
          ? `CANNOT CONVERT ${by('refused')
              .map((s) => `${s.path} ${s.from}→${s.to} (rows ${s.rows?.join(', ')})`)
              .join('; ')}`
          : '',
      ].filter(Boolean);
      return { key: form.key, change: form.change, detail: parts.join('; ') };
    }),
  );
  for (const [title, list] of [
    ['flows', diff.flows],
    ['rules', diff.rules],
  ] as const) {
    section(
      title,
      list.map((entry) => ({
        key: entry.key,
        change: entry.change,
        ...(entry.reason === 'form' ? { detail: 'published again for its changed form' } : {}),
      })),
    );
  }
  section('reports', diff.reports);
  section('menus', diff.menus);
  section(
    'roles',
    diff.roles.map((role) => ({
      key: role.code,
      change: role.change,
      detail: [
        role.change === 'added' ? 'created' : '',
        role.grant.length ? `grant ${role.grant.join(', ')}` : '',
        role.revoke.length ? `revoke ${role.revoke.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    })),
  );
  if (diff.demo.load) {
    lines.push(
      `  demo data: ${diff.demo.records} records, ${diff.demo.filings} requests, loaded with this first install`,
    );
  }
  return lines;
}

/** Reads a pack file from disk, refusing one over the limit before reading it. */
function readFile(file: string): Record<string, unknown> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved) || !statSync(resolved).isFile()) throw new Error(`${file}: no such file`);
  const size = statSync(resolved).size;
  if (size > PackFileLimits.bytes) {
    throw PackErrors.fileTooLarge.create({ what: `${size} bytes, at most ${PackFileLimits.bytes}` });
  }
  return readPackFile(readFileSync(resolved));
}

/**
 * `baton pack import <file>`: the validation report (exit 1 with every issue and its path), the diff against
 * what is installed, then (without --dry-run) the import in one transaction. Exit 1 when refused.
 */
export async function importCommand(
  config: Config,
  log: Logger,
  file: string,
  options: { dryRun?: boolean; withDemo?: boolean },
  out: Out,
): Promise<number> {
  const document = readFile(file);
  const locale = pickLocale(process.env.LANG?.replace('_', '-'));
  const database = openPlatformDatabase(config, log);
  try {
    const ctx = { db: database.db, actor: systemActor('cli'), clock: systemClock, log };
    const preview = await previewImport(ctx, document, { demo: options.withDemo === true });
    if (!preview.diff) {
      await flushed(
        out,
        `${file}: invalid, ${preview.issues.length} problem(s)\n${describe(preview.issues).join('\n')}\nnothing changed\n`,
      );
      return 1;
    }
    const lines = describeDiff(preview.diff, locale);
    if (!preview.diff.ok) {
      await flushed(out, `${lines.join('\n')}\nrefused: nothing changed\n`);
      return 1;
    }
    if (options.dryRun) {
      await flushed(out, `${lines.join('\n')}\ndry run: nothing changed\n`);
      return 0;
    }
    const { report } = await importPack(ctx, document, {
      demo: options.withDemo === true,
      declarer: serverDeclarer,
      expect: preview.diff.fingerprint,
      audit: { detail: { source: 'cli', file: path.basename(file) } },
    });
    const done =
      report?.outcome === 'unchanged'
        ? 'nothing to change'
        : `${report?.outcome} ${report?.key} ${report?.version}` +
          `${report?.rolesCreated.length ? `; roles created: ${report.rolesCreated.join(', ')}` : ''}` +
          `${report?.demo ? `; demo data: ${report.demo.records} records, ${report.demo.filings} requests` : ''}`;
    await flushed(out, `${lines.join('\n')}\n${done}\n`);
    return 0;
  } finally {
    await database.destroy();
  }
}
