import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Top-level folders whose packages the dependency rules govern. One list for `npm run check:deps` and for the
 * test, so a folder added here (or appearing on disk, like packs/) is checked by both.
 */
export const DEPENDENCY_ROOTS = ['kernel', 'apps', 'packs', 'tooling', 'bench', 'e2e'] as const;

/** The roots present under baseDir: depcruise refuses a folder that does not exist, and packs/ comes later. */
export function existingRoots(baseDir: string): string[] {
  return DEPENDENCY_ROOTS.filter((root) => existsSync(join(baseDir, root)));
}
