// Dependency rules of ARCHITECTURE.md §2, checked by `npm run check:deps` (tooling/check/check-deps.ts) and by
// tooling/check/dependency-rules.test.ts. Rules match real paths relative to the repository root
// (kernel/<engine>/, apps/<app>/, packs/<app>/, tooling/<x>/, bench/, e2e/): workspace imports by package name
// resolve through the node_modules symlinks to those folders because symlinks are not preserved.
//
// A new engine: add it to ENGINES with its allowed engines, and its arrow to ARCHITECTURE.md §2 in the same commit.

/**
 * Which kernel packages each engine may import directly, written out in full (the arrows of §2 plus every layer
 * below them) so a reader never has to compute a transitive closure to know whether an import is legal.
 * @type {Record<string, string[]>}
 */
const ENGINES = {
  core: [],
  expression: ['core'],
  db: ['core'],
  schedule: ['db', 'core'],
  org: ['db', 'core'],
  access: ['org', 'db', 'core'],
  form: ['access', 'expression', 'org', 'db', 'core'],
  flow: ['form', 'org', 'schedule', 'access', 'expression', 'db', 'core'],
  report: ['form', 'access', 'org', 'expression', 'db', 'core'],
  rule: ['flow', 'form', 'schedule', 'org', 'access', 'expression', 'db', 'core'],
  message: ['org', 'db', 'core'],
  // Outbound HTTP (SSRF-guarded), webhooks and connectors: reacts to events wired in the composition root.
  integration: ['db', 'core'],
  // The pack SDK re-exports every engine's ./schema and its installer calls their APIs.
  pack: [
    'core',
    'expression',
    'db',
    'schedule',
    'org',
    'access',
    'form',
    'flow',
    'report',
    'rule',
    'message',
    'integration',
  ],
};

const ENGINE_NAMES = Object.keys(ENGINES).join('|');

// Folders that hold packages; bench and e2e are single packages at the root.
const PACKAGE_ROOT = '(?:(?:kernel|apps|packs|tooling)/[^/]+|bench|e2e)';
const ANY_PACKAGE = '^(?:kernel|apps|packs|tooling|bench|e2e)/';

// Kernel test files may use the testkit; kernel source may not.
const KERNEL_TEST = '\\.test\\.tsx?$|^kernel/[^/]+/test/';
const PACK_TEST = '\\.test\\.tsx?$|^packs/[^/]+/test/';

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const engineLayerRules = Object.entries(ENGINES).map(([engine, allowed]) => ({
  name: `kernel-layer-${engine}`,
  severity: 'error',
  comment:
    allowed.length === 0
      ? `kernel/${engine} depends on no other Baton package (ARCHITECTURE.md §2).`
      : `kernel/${engine} may import only ${allowed.map((x) => `@baton/${x}`).join(', ')} (ARCHITECTURE.md §2). ` +
        'An engine never imports the one that reacts to it: wire such reactions in apps/server or apps/worker.',
  from: { path: `^kernel/${engine}/` },
  to: { path: '^kernel/', pathNot: `^kernel/(?:${[engine, ...allowed].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...engineLayerRules,
    {
      name: 'kernel-unknown-engine',
      severity: 'error',
      comment:
        'This kernel folder is not in the engine list of .dependency-cruiser.cjs, so it may not import other ' +
        'engines yet: add it to ENGINES (and its arrow to ARCHITECTURE.md §2).',
      from: { path: '^kernel/([^/]+)/', pathNot: `^kernel/(?:${ENGINE_NAMES})/` },
      to: { path: '^kernel/', pathNot: '^kernel/$1/' },
    },
    {
      name: 'kernel-not-to-outer',
      severity: 'error',
      comment:
        'The kernel has no HTTP, no React and no knowledge of packs: it never imports apps/*, packs/*, tooling/*, ' +
        'bench or e2e (kernel tests may import tooling/testkit).',
      from: { path: '^kernel/' },
      to: { path: '^(?:apps|packs|tooling|bench|e2e)/', pathNot: '^tooling/testkit/' },
    },
    {
      name: 'kernel-testkit-only-in-tests',
      severity: 'error',
      comment: 'Only kernel test files (*.test.ts, kernel/*/test/**) may import tooling/testkit.',
      from: { path: '^kernel/', pathNot: KERNEL_TEST },
      to: { path: '^tooling/testkit/' },
    },
    {
      name: 'web-only-kernel-schema',
      severity: 'error',
      comment:
        'apps/web runs in the browser: from the kernel it may import only a ./schema entry (kernel/*/src/schema*) ' +
        'and the isomorphic @baton/expression (live formulas), never an engine API that needs a database.',
      from: { path: '^apps/web/' },
      to: { path: '^kernel/', pathNot: '^kernel/(?:[^/]+/src/schema|expression/src/index\\.ts$)' },
    },
    {
      name: 'web-not-to-other-apps',
      severity: 'error',
      comment: 'apps/web talks to the server over HTTP; it never imports apps/server, apps/worker or apps/cli.',
      from: { path: '^apps/web/' },
      to: { path: '^apps/(?:server|worker|cli)/' },
    },
    {
      name: 'packs-only-pack-sdk',
      severity: 'error',
      comment:
        'A pack is declarative: its source imports only @baton/pack (and its own files), no other engine, app, ' +
        'pack, npm package or Node built-in.',
      from: { path: '^packs/([^/]+)/', pathNot: PACK_TEST },
      to: { pathNot: '^(?:kernel/pack|packs/$1)/' },
    },
    {
      name: 'packs-tests-only-pack-sdk-and-testkit',
      severity: 'error',
      comment: 'Pack scenario tests import only @baton/pack, tooling/testkit and their own pack.',
      from: { path: '^packs/([^/]+)/(?:test/|.*\\.test\\.tsx?$)' },
      to: { path: ANY_PACKAGE, pathNot: '^(?:kernel/pack|tooling/testkit|packs/$1)/' },
    },
    {
      name: 'no-relative-cross-package',
      severity: 'error',
      comment:
        "Import another package by its name (@baton/<x>) and its exports, never by a relative path into its folder: a relative path reaches internals the package's exports do not offer.",
      from: { path: `^(${PACKAGE_ROOT})/` },
      to: { dependencyTypes: ['local'], path: ANY_PACKAGE, pathNot: '^$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file: a typo, a missing dependency, or a subpath that the package.json ' +
        '"exports" of the target does not offer.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // node_modules is not followed (but imports of npm packages stay visible, so packs-only-pack-sdk sees them).
    doNotFollow: { path: '(^|/)node_modules(/|$)' },
    exclude: { path: '(^|/)dist(/|$)|^tooling/check/fixtures(/|$)' },
    moduleSystems: ['es6', 'cjs'],
    // `import type` counts: a type import across a forbidden arrow still couples the two packages.
    tsPreCompilationDeps: true,
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'default'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
