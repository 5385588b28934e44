import { DashboardOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Layout, Menu, type MenuProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { nudgeTaskCounts, useTaskCounts } from '../api/task-counts.ts';
import { hasPermission, useSession } from '../auth/session.ts';
import { useIsNarrow } from '../hooks/use-media-query.ts';
import { useT } from '../i18n/index.ts';
import { Brand } from './brand.tsx';
import { HealthBadge } from './health-badge.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { MessageBell } from './message-bell.tsx';
import './nav-count.css';
import { adminNavItems, navItemFor, navItems } from './nav-items.tsx';
import { UserMenu } from './user-menu.tsx';

const collapsedKey = 'baton.siderCollapsed';

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(collapsedKey) === '1';
  } catch {
    return false;
  }
}

/** 待办 carries the live pending count (overdue ones make it red), so work waiting is seen from any page. */
function navLabel(text: string, box: string | undefined, counts: ReturnType<typeof useTaskCounts>) {
  if (box !== 'pending' || !counts || counts.pending === 0) return text;
  return (
    <span className="nav-label-with-count">
      <span>{text}</span>
      {/* The animated digits are hidden from screen readers; the plain count is read instead. */}
      <span className="nav-count-text">{` (${counts.pending})`}</span>
      <Badge
        aria-hidden
        count={counts.pending}
        overflowCount={99}
        size="small"
        color={counts.overdue > 0 ? '#cf1322' : '#1677ff'}
        className="nav-count"
        data-count={counts.pending}
      />
    </span>
  );
}

/** The key of the 管理 sub-menu: not a path, since its first entry, the overview, is /admin. */
const ADMIN_GROUP = 'admin-group';

function NavMenu({ onNavigate, collapsed = false }: { onNavigate?: () => void; collapsed?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const session = useSession();
  const counts = useTaskCounts();
  const selected = navItemFor(pathname);
  const adminChildren = adminNavItems.filter((item) => hasPermission(session, item.permission));
  // The longest matching path, so /admin/org/import lights up its own entry rather than /admin/org.
  const selectedAdmin = adminChildren
    .filter((item) => pathname === item.path || pathname.startsWith(`${item.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const items: MenuProps['items'] = navItems.map((item) =>
    // 管理 opens into the administration pages the member may use; with none it stays the overview.
    item.area === 'admin' && adminChildren.length > 0
      ? {
          key: ADMIN_GROUP,
          icon: item.icon,
          label: t(`nav.${item.area}` as const),
          // The overview (/admin) first: its cards say what each area is for.
          children: [
            { key: item.path, icon: <DashboardOutlined aria-hidden />, label: t('nav.adminOverview') },
            ...adminChildren.map((child) => ({ key: child.path, icon: child.icon, label: t(child.label) })),
          ],
        }
      : { key: item.path, icon: item.icon, label: navLabel(t(`nav.${item.area}` as const), item.box, counts) },
  );
  const [openKeys, setOpenKeys] = useState<string[]>(() => (pathname.startsWith('/admin') ? [ADMIN_GROUP] : []));
  return (
    <Menu
      mode="inline"
      items={items}
      // A collapsed sider shows sub-menus as fly-outs that antd opens and closes itself.
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      selectedKeys={selectedAdmin ? [selectedAdmin.path] : selected ? [selected.path] : []}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
    />
  );
}

export function AppShell() {
  const t = useT();
  const narrow = useIsNarrow();
  const { pathname } = useLocation();
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);

  // After client-side navigation, move focus to the new page so screen readers announce it
  // and keyboard users do not stay stranded in the menu; the first load keeps browser focus.
  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = '';
    mainRef.current?.focus({ preventScroll: false });
  }, [pathname]);

  useEffect(() => {
    if (!narrow) setDrawerOpen(false);
  }, [narrow]);

  // Acting on a task changes the counts without a message: every page change asks again (at most every 2 s).
  useEffect(() => {
    if (pathname) nudgeTaskCounts();
  }, [pathname]);

  function toggleCollapsed() {
    setCollapsed((value) => {
      try {
        window.localStorage.setItem(collapsedKey, value ? '0' : '1');
      } catch {
        // The choice just does not survive a reload.
      }
      return !value;
    });
  }

  const menuButton = narrow ? (
    <Button
      type="text"
      className="header-icon-button"
      icon={<MenuOutlined aria-hidden />}
      aria-label={t('nav.open')}
      aria-expanded={drawerOpen}
      aria-controls="nav-drawer"
      onClick={() => setDrawerOpen(true)}
    />
  ) : (
    <Button
      type="text"
      className="header-icon-button"
      icon={collapsed ? <MenuUnfoldOutlined aria-hidden /> : <MenuFoldOutlined aria-hidden />}
      aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
      aria-expanded={!collapsed}
      aria-controls="nav-sider"
      onClick={toggleCollapsed}
    />
  );

  return (
    <Layout className="app-shell">
      <a className="skip-link" href="#main">
        {t('a11y.skipToContent')}
      </a>
      <Layout.Header className="app-header">
        <div className="app-header-start">
          {menuButton}
          <Link to="/" className="brand-link" aria-label={`接力 Baton · ${t('nav.workspace')}`}>
            <Brand compact={narrow} />
          </Link>
          {!narrow && <span className="app-tagline">{t('app.tagline')}</span>}
        </div>
        <div className="app-header-end">
          <HealthBadge compact={narrow} />
          <MessageBell />
          <LanguageSwitch />
          <UserMenu compact={narrow} />
        </div>
      </Layout.Header>
      <Layout className="app-body">
        {!narrow && (
          <Layout.Sider
            id="nav-sider"
            className="app-sider"
            theme="light"
            width={208}
            collapsedWidth={64}
            collapsed={collapsed}
            trigger={null}
          >
            <nav aria-label={t('nav.label')}>
              <NavMenu collapsed={collapsed} />
            </nav>
          </Layout.Sider>
        )}
        <Layout className="app-content-column">
          <Layout.Content id="main" ref={mainRef} tabIndex={-1} className="app-content">
            <Outlet />
          </Layout.Content>
          <Layout.Footer className="app-footer">{t('app.footer')}</Layout.Footer>
        </Layout>
      </Layout>
      {narrow && (
        <Drawer
          id="nav-drawer"
          className="nav-drawer"
          placement="left"
          size={260}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
        >
          <nav aria-label={t('nav.label')}>
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </nav>
        </Drawer>
      )}
    </Layout>
  );
}
