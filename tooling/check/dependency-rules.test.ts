import { rmSync } from 'node:fs';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, type Finding, findViolations, formatFindings, REPO_ROOT } from './cruise-rules.ts';
import { FAKE_NPM_PACKAGE, materialiseFixture } from './fixture-repo.ts';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function cruiseFixture(name: string): Promise<Finding[]> {
  const root = materialiseFixture(name);
  roots.push(root);
  return findViolations(root);
}

const f = (rule: string, from: string, to: string): Finding => ({ rule, from, to });

// Every import in fixtures/forbidden and the rule(s) it must break; sorted like findViolations sorts.
const EXPECTED_FORBIDDEN: Finding[] = [
  f('not-to-unresolvable', 'apps/server/src/index.ts', './missing.ts'),
  f('web-not-to-other-apps', 'apps/web/src/main.tsx', 'apps/server/src/index.ts'),
  f('web-only-kernel-schema', 'apps/web/src/main.tsx', 'kernel/flow/src/index.ts'),
  f('kernel-layer-access', 'kernel/access/src/index.ts', 'kernel/form/src/index.ts'),
  f('kernel-testkit-only-in-tests', 'kernel/access/src/index.ts', 'tooling/testkit/src/index.ts'),
  f('kernel-layer-core', 'kernel/core/src/index.ts', 'kernel/db/src/index.ts'),
  f('kernel-layer-core', 'kernel/core/src/index.ts', 'kernel/db/src/internal.ts'),
  f('no-relative-cross-package', 'kernel/core/src/index.ts', 'kernel/db/src/internal.ts'),
  f('kernel-layer-db', 'kernel/db/src/index.ts', 'kernel/org/src/index.ts'),
  f('kernel-layer-expression', 'kernel/expression/src/index.ts', 'kernel/db/src/index.ts'),
  f('kernel-layer-flow', 'kernel/flow/src/index.ts', 'kernel/rule/src/index.ts'),
  f('kernel-layer-form', 'kernel/form/src/index.ts', 'kernel/flow/src/index.ts'),
  f('kernel-layer-integration', 'kernel/integration/src/index.ts', 'kernel/flow/src/index.ts'),
  f('kernel-layer-message', 'kernel/message/src/index.ts', 'kernel/flow/src/index.ts'),
  f('not-to-unresolvable', 'kernel/org/src/index.ts', '@baton/db/src/internal.ts'),
  f('kernel-layer-org', 'kernel/org/src/index.ts', 'kernel/schedule/src/index.ts'),
  f('no-relative-cross-package', 'kernel/org/src/members.ts', 'kernel/db/src/index.ts'),
  f('kernel-layer-pack', 'kernel/pack/src/index.ts', 'kernel/widget/src/index.ts'),
  f('kernel-layer-report', 'kernel/report/src/index.ts', 'kernel/schedule/src/index.ts'),
  f('kernel-layer-rule', 'kernel/rule/src/index.ts', 'kernel/report/src/index.ts'),
  f('kernel-not-to-outer', 'kernel/schedule/src/index.ts', 'apps/server/src/index.ts'),
  f('kernel-layer-schedule', 'kernel/schedule/src/index.ts', 'kernel/org/src/index.ts'),
  f('kernel-unknown-engine', 'kernel/widget/src/index.ts', 'kernel/core/src/index.ts'),
  f('packs-only-pack-sdk', 'packs/crm/pack.ts', 'fs'),
  f('packs-only-pack-sdk', 'packs/crm/pack.ts', 'kernel/form/src/index.ts'),
  f('packs-only-pack-sdk', 'packs/crm/pack.ts', `node_modules/${FAKE_NPM_PACKAGE}/index.js`),
  f('no-relative-cross-package', 'packs/crm/pack.ts', 'packs/hr/pack.ts'),
  f('packs-only-pack-sdk', 'packs/crm/pack.ts', 'packs/hr/pack.ts'),
  f('packs-tests-only-pack-sdk-and-testkit', 'packs/crm/test/crm.scenario.test.ts', 'kernel/flow/src/index.ts'),
  f('no-relative-cross-package', 'tooling/testkit/src/index.ts', 'kernel/db/src/index.ts'),
];

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('accept every arrow of ARCHITECTURE.md §2', async () => {
    const findings = await cruiseFixture('allowed');
    expect(formatFindings(findings)).toBe('');
  });

  it('reject each forbidden import with the expected rule, and nothing else', async () => {
    const findings = await cruiseFixture('forbidden');
    // Compared as text so a failure shows a readable diff of rule: from → to lines.
    expect(formatFindings(findings)).toBe(formatFindings(EXPECTED_FORBIDDEN));
  });

  it('have a forbidden fixture for every rule', async () => {
    const { ruleSet } = await extractDepcruiseOptions(CONFIG_FILE);
    const ruleNames = (ruleSet?.forbidden ?? []).map((rule) => rule.name).sort();
    expect(ruleNames).toEqual([...new Set(EXPECTED_FORBIDDEN.map((x) => x.rule))].sort());
  });

  it('hold in the repository', async () => {
    const findings = await findViolations(REPO_ROOT);
    expect(formatFindings(findings)).toBe('');
  });
});
