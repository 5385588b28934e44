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

const theme: ThemeConfig = {
  token: { fontFamily, colorPrimary: '#1677ff', borderRadius: 6 },
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
