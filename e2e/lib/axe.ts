// The accessibility check of the main pages: axe-core (the engine of the Lighthouse and browser-extension audits)
// runs inside the page, and a serious or critical violation of the WCAG 2.1 A/AA rules fails the step. Minor and
// moderate findings are printed, not failed: they are worth reading, but not worth a red build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

type AxeNode = { target: unknown[]; failureSummary?: string; html: string };
type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };
type AxeResults = { violations: AxeViolation[]; passes: unknown[] };
type AxeGlobals = {
  axe?: { run(context: unknown, options: unknown): Promise<AxeResults> };
  document: unknown;
};

const require = createRequire(import.meta.url);
let source: string | undefined;

function axeSource(): string {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

const failing = new Set(['serious', 'critical']);

export type AxeOptions = {
  /** CSS selectors left out, e.g. a third-party canvas that carries its own text alternative. */
  exclude?: string[];
};

type Animated = {
  getAnimations(): { finished: Promise<unknown>; effect: { getComputedTiming(): { endTime?: unknown } } | null }[];
};

/**
 * Waits for every animation that ends (a menu fading out after its item was clicked, a drawer sliding in): axe reads
 * the colours of an element half-faded as they are at that instant and reports a contrast the user never sees.
 * Spinners and other endless animations are not waited for.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const document = (globalThis as unknown as { document: Animated }).document;
    const ending = document
      .getAnimations()
      .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)));
    await Promise.race([
      Promise.allSettled(ending.map((animation) => animation.finished)),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]);
    // The class that hides a finished motion is set in the frame after its animation ends.
    const frame = (globalThis as unknown as { requestAnimationFrame(next: () => void): number }).requestAnimationFrame;
    await new Promise<void>((resolve) => frame(() => frame(() => resolve())));
  });
}

/**
 * Runs axe-core on the page as it is now and throws on every serious or critical WCAG 2.1 A/AA violation, naming
 * the rule, its help and up to five offending elements. Returns how many rules passed, for the journey's log.
 */
export async function expectAccessible(page: Page, label: string, options: AxeOptions = {}): Promise<number> {
  await settleAnimations(page);
  const present = await page.evaluate(() => Boolean((globalThis as unknown as AxeGlobals).axe));
  // Evaluated over the DevTools protocol, not as an inline <script>: the app's CSP (script-src 'self') stays on.
  if (!present) await page.evaluate(axeSource());
  const results = await page.evaluate(async (exclude) => {
    const g = globalThis as unknown as AxeGlobals;
    if (!g.axe) throw new Error('axe-core did not load');
    const context = exclude.length > 0 ? { include: [g.document], exclude: exclude.map((s) => [s]) } : g.document;
    const run = await g.axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return {
      passes: run.passes.length,
      violations: run.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 160), failureSummary: n.failureSummary })),
      })),
    };
  }, options.exclude ?? []);
  const serious = results.violations.filter((v) => v.impact !== null && failing.has(v.impact));
  for (const minor of results.violations.filter((v) => !serious.includes(v))) {
    console.log(`    axe (${label}): ${minor.impact} ${minor.id} — ${minor.help} (${minor.nodes.length})`);
  }
  if (serious.length > 0) {
    const lines = serious.flatMap((v) => [
      `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.html}`),
    ]);
    throw new Error(`axe found ${serious.length} serious/critical violation(s) on ${label}:\n${lines.join('\n')}`);
  }
  return results.passes;
}
