import { Segmented } from 'antd';
import { api } from '../api/client.ts';
import { getSession, LOCALE_PATH } from '../auth/session.ts';
import { type Locale, localeNames, locales, setLocale, useLocale, useT } from '../i18n/index.ts';

/** Switches at once; a signed-in member's choice is also saved on the server (mails, notices). */
function chooseLocale(locale: Locale): void {
  setLocale(locale);
  if (getSession().status === 'signedIn') {
    // Best effort: the page already speaks the new language; a failed save only affects other devices.
    api(LOCALE_PATH, { method: 'PUT', body: { locale } }).catch(() => undefined);
  }
}

export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  return (
    <Segmented<Locale>
      className="language-switch"
      aria-label={t('locale.label')}
      size="small"
      value={locale}
      onChange={chooseLocale}
      options={locales.map((value) => ({
        value,
        // lang lets a screen reader pronounce "English" in English inside a Chinese page.
        label: <span lang={value}>{localeNames[value]}</span>,
      }))}
    />
  );
}
