// `npm run check:deps`: the depcruise CLI over every package root that exists (see dependency-roots.ts). Extra
// arguments pass through, e.g. `npm run check:deps -- --output-type dot`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CONFIG_FILE, REPO_ROOT } from './cruise-rules.ts';
import { existingRoots } from './dependency-roots.ts';

const bin = join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const args = [bin, '--config', CONFIG_FILE, ...process.argv.slice(2), ...existingRoots(REPO_ROOT)];
const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
