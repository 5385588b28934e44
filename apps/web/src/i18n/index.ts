import { useCallback, useSyncExternalStore } from 'react';
import { enUS } from './en-US.ts';
import { getLocale, type Locale, subscribeLocale } from './locale-store.ts';
import { type MessageKey, type Messages, zhCN } from './zh-CN.ts';

export type { Locale } from './locale-store.ts';
export { defaultLocale, getLocale, isLocale, locales, setLocale } from './locale-store.ts';
export type { MessageKey } from './zh-CN.ts';

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const catalogues: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };

/** Each language names itself, so a reader of the other language can still find their own. */
export const localeNames: Record<Locale, string> = { 'zh-CN': '中文', 'en-US': 'English' };

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function useLocale(): Locale {
  return useSyncExternalStore(subscribeLocale, getLocale);
}

/** The translate function for the current locale; components re-render when it changes. */
export function useT(): Translate {
  const locale = useLocale();
  return useCallback<Translate>((key, params) => translate(locale, key, params), [locale]);
}
