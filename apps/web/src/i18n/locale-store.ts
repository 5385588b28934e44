import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

export const locales = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof locales)[number];
/** Chinese first: a visitor who never chose a language sees zh-CN, whatever the browser says. */
export const defaultLocale: Locale = 'zh-CN';

const storageKey = 'baton.locale';
const dayjsLocales: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return isLocale(stored) ? stored : defaultLocale;
  } catch {
    // Storage can be disabled (private mode, strict policies); the default still works.
    return defaultLocale;
  }
}

function applyToDocument(locale: Locale): void {
  document.documentElement.lang = locale;
  dayjs.locale(dayjsLocales[locale]);
}

// A module-level store rather than React state, because the API client needs the current
// locale for Accept-Language outside any component.
let current: Locale = readStoredLocale();
const listeners = new Set<() => void>();
applyToDocument(current);

function publish(next: Locale): void {
  if (next === current) return;
  current = next;
  applyToDocument(next);
  for (const listener of listeners) listener();
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(next: Locale): void {
  try {
    window.localStorage.setItem(storageKey, next);
  } catch {
    // Not persisted, but the switch still applies to this tab.
  }
  publish(next);
}

export function subscribeLocale(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Keeps several open tabs in the same language once the user switches in one of them.
window.addEventListener('storage', (event) => {
  if (event.key === storageKey) publish(isLocale(event.newValue) ? event.newValue : defaultLocale);
});
