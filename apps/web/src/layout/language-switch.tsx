import { Segmented } from 'antd';
import { chooseLocale } from '../auth/session.ts';
import { type Locale, localeNames, locales, useLocale, useT } from '../i18n/index.ts';

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
