import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { existingRoots } from './dependency-roots.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CONFIG_FILE = fileURLToPath(new URL('../../.dependency-cruiser.cjs', import.meta.url));

/** One violated rule on one import, in the shape tests compare. */
export interface Finding {
  rule: string;
  from: string;
  to: string;
}

/**
 * Cruises the package roots under baseDir with the real rule set of .dependency-cruiser.cjs, the way
 * `npm run check:deps` does from the repository root.
 */
export async function findViolations(baseDir: string): Promise<Finding[]> {
  const options = await extractDepcruiseOptions(CONFIG_FILE);
  const { output } = await cruise(existingRoots(baseDir), { ...options, baseDir, outputType: 'json' });
  // The json reporter returns a string; parse it rather than rely on an undocumented object output.
  const result: ICruiseResult = typeof output === 'string' ? JSON.parse(output) : output;
  return (result.summary.violations as IViolation[])
    .map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }))
    .sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.rule.localeCompare(b.rule);
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.rule}: ${f.from} → ${f.to}`).join('\n');
}
