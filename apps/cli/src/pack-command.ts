import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBatonError, type Logger, systemActor, systemClock } from '@baton/core';
import { exportPack, type PackIssue, validatePack } from '@baton/pack';
import type { Config } from './config.ts';
import { platformPacks } from './packs.ts';
import { openPlatformDatabase } from './platform.ts';

// `baton pack validate <dir|file|all>` and `baton pack export <key>`. Import into another installation
// (with a diff against what is installed) comes with the designers (issue 9).

export const packUsage = `  pack validate <dir|file|all>  check a pack folder (its pack.ts), an exported .json document, or every
                                shipped pack; prints every problem with its path; exit 1 when any is invalid
  pack export <key> [--out <file>] [--with-demo]
                                write an installed pack (latest form and flow versions, menus, roles,
                                locales; demo data with --with-demo) as one JSON document`;

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
  options: { out?: string; withDemo?: boolean },
  out: Out,
): Promise<number> {
  const database = openPlatformDatabase(config, log);
  try {
    const ctx = { db: database.db, actor: systemActor('cli'), clock: systemClock, log };
    const document = await exportPack(ctx, { key, includeDemo: options.withDemo === true });
    const text = `${JSON.stringify(document, null, 2)}\n`;
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
