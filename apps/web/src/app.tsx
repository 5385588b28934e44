import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUSAntd from 'antd/locale/en_US';
import zhCNAntd from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router/dom';
import { type Locale, useLocale } from './i18n/index.ts';
import { RootErrorBoundary } from './pages/error-page.tsx';
import { router } from './router.tsx';

const antdLocales: Record<Locale, typeof zhCNAntd> = { 'zh-CN': zhCNAntd, 'en-US': enUSAntd };

// Chinese faces come before the generic fallbacks so CJK text never lands on a Latin font
// with synthesised glyphs; WenQuanYi covers Linux desktops and the CI browser.
const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'Segoe UI'",
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Source Han Sans SC'",
  "'WenQuanYi Micro Hei'",
  'Roboto',
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
  "'Apple Color Emoji'",
  "'Segoe UI Emoji'",
].join(', ');

// Colours that pass WCAG 2.1 AA (4.5:1) for text on white and on the page's #f5f7fa, as axe checks them in the
// journeys: antd's default blue (#1677ff) gives 4.1:1 under white text and as link text, its red 3.3:1, its green
// and orange about 2:1 as tag text, its tertiary grey 3.4:1.
const theme: ThemeConfig = {
  token: {
    fontFamily,
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorInfo: '#0958d9',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    borderRadius: 6,
  },
  components: { Layout: { headerBg: '#ffffff', headerPadding: '0 16px', bodyBg: '#f5f7fa', footerBg: 'transparent' } },
};

export function App() {
  const locale = useLocale();
  return (
    <RootErrorBoundary>
      <ConfigProvider locale={antdLocales[locale]} theme={theme}>
        <AntApp className="app-root">
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </RootErrorBoundary>
  );
}
