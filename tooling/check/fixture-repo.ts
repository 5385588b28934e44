import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPENDENCY_ROOTS } from './dependency-roots.ts';

export const FIXTURES = new URL('./fixtures/', import.meta.url);

/** The npm package that fixtures import to stand for any third-party dependency. */
export const FAKE_NPM_PACKAGE = 'fake-npm-lib';

/**
 * Copies fixtures/<name> to a temporary directory and gives it what npm install gives the real repository: a
 * package.json per package (name and exports as in the real ones) and node_modules symlinks to the package
 * folders. The fixtures then hold only the imports under test, and nothing is written into the source tree.
 */
export function materialiseFixture(name: string): string {
  // realpath: on macOS the temp dir is a symlink, and depcruise reports real paths relative to baseDir.
  const root = realpathSync(mkdtempSync(join(tmpdir(), `baton-deps-${name}-`)));
  cpSync(new URL(name, FIXTURES), root, { recursive: true });
  for (const dir of packageDirs(root)) linkPackage(root, dir);
  const fake = join(root, 'node_modules', FAKE_NPM_PACKAGE);
  mkdirSync(fake, { recursive: true });
  writeJson(join(fake, 'package.json'), { name: FAKE_NPM_PACKAGE, type: 'module', exports: './index.js' });
  writeFileSync(join(fake, 'index.js'), 'export const lib = 1;\n');
  return root;
}

function packageDirs(root: string): string[] {
  return DEPENDENCY_ROOTS.flatMap((top) => {
    if (!existsSync(join(root, top))) return [];
    if (top === 'bench' || top === 'e2e') return [top];
    return readdirSync(join(root, top)).map((dir) => `${top}/${dir}`);
  });
}

function linkPackage(root: string, dir: string): void {
  const [top, folder = top] = dir.split('/');
  const name = top === 'packs' ? `@baton-pack/${folder}` : `@baton/${folder}`;
  const entry = ['src/index.ts', 'pack.ts', 'lib/index.ts'].find((file) => existsSync(join(root, dir, file)));
  const exports: Record<string, string> = {};
  if (entry) exports['.'] = `./${entry}`;
  if (existsSync(join(root, dir, 'src/schema.ts'))) exports['./schema'] = './src/schema.ts';
  writeJson(join(root, dir, 'package.json'), { name, private: true, type: 'module', exports });
  const link = join(root, 'node_modules', name);
  mkdirSync(join(link, '..'), { recursive: true });
  symlinkSync(join(root, dir), link, 'dir');
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
