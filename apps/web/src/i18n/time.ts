import type { Locale } from './locale-store.ts';

/**
 * An instant (stored in UTC) as the organisation reads it: Beijing time, 24-hour clock. `seconds` for logs,
 * `year: false` for recent items such as notices and tasks.
 */
export function formatInstant(
  at: string | null | undefined,
  locale: Locale | string,
  options: { seconds?: boolean; year?: boolean } = {},
): string {
  if (!at) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    ...(options.year === false ? {} : { year: 'numeric' }),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
    hour12: false,
  }).format(new Date(at));
}
