import { type BusinessCalendar, defineCalendar } from './calendar.ts';

/*
 * Public holidays and makeup working days (调休上班) of mainland China in 2026, from the State Council
 * General Office's notice on the 2026 holiday arrangements (国务院办公厅关于2026年部分节假日安排的通知,
 * dated 2025-11-04, published by Xinhua). Checked against the notice's text:
 *   元旦     1月1日–3日 放假调休，1月4日（周日）上班
 *   春节     2月15日–23日 放假调休，2月14日（周六）、2月28日（周六）上班
 *   清明节   4月4日–6日 放假
 *   劳动节   5月1日–5日 放假调休，5月9日（周六）上班
 *   端午节   6月19日–21日 放假
 *   中秋节   9月25日–27日 放假
 *   国庆节   10月1日–7日 放假调休，9月20日（周日）、10月10日（周六）上班
 * Holidays list every day off, weekends inside a break included. Other years need their own notice.
 */

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

export const CHINA_2026: Readonly<{ holidays: ReadonlyArray<string>; makeupWorkdays: ReadonlyArray<string> }> =
  Object.freeze({
    holidays: Object.freeze([
      ...days('2026-01-01', '2026-01-03'),
      ...days('2026-02-15', '2026-02-23'),
      ...days('2026-04-04', '2026-04-06'),
      ...days('2026-05-01', '2026-05-05'),
      ...days('2026-06-19', '2026-06-21'),
      ...days('2026-09-25', '2026-09-27'),
      ...days('2026-10-01', '2026-10-07'),
    ]),
    makeupWorkdays: Object.freeze(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
  });

/**
 * A Monday-to-Friday calendar in Asia/Shanghai with the 2026 public holidays and makeup working days.
 * Default hours 09:00–12:00 and 13:00–18:00; pass `hours` for other working periods.
 */
export function chinaCalendar2026(
  options: { hours?: ReadonlyArray<readonly [string, string]>; name?: string } = {},
): BusinessCalendar {
  return defineCalendar({
    name: options.name ?? 'China 2026',
    timeZone: 'Asia/Shanghai',
    workdays: [1, 2, 3, 4, 5],
    hours: options.hours ?? [
      ['09:00', '12:00'],
      ['13:00', '18:00'],
    ],
    holidays: CHINA_2026.holidays,
    makeupWorkdays: CHINA_2026.makeupWorkdays,
  });
}
