/**
 * The browser globals that functions passed to page.evaluate use. The node-side tsconfig has
 * no DOM lib on purpose (kernel code must not see `window`), so page functions read them as
 * `const { document } = globalThis as unknown as PageGlobals;`. Only a type: page functions
 * are serialised into the browser and cannot close over imported values.
 */
export type PageGlobals = {
  document: {
    title: string;
    documentElement: { lang: string; scrollWidth: number };
    activeElement: { textContent: string | null } | null;
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    getAnimations(): Array<{
      effect: { getComputedTiming(): { iterations?: number } } | null;
      finished: Promise<unknown>;
    }>;
  };
  window: {
    innerWidth: number;
    localStorage: { getItem(key: string): string | null };
  };
};
