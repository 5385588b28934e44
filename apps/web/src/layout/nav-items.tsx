import {
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  DatabaseOutlined,
  EditOutlined,
  EyeOutlined,
  FieldTimeOutlined,
  FormOutlined,
  FundOutlined,
  HomeOutlined,
  IdcardOutlined,
  MailOutlined,
  OrderedListOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { WorkBox } from '../api/flows.ts';
import type { MessageKey } from '../i18n/index.ts';

/** A menu entry; those with a `box` open a work list of the flow engine (the router maps the others). */
export type NavItem = {
  area: 'workspace' | 'pending' | 'done' | 'sent' | 'tracked' | 'drafts' | 'records' | 'reports' | 'admin';
  path: string;
  icon: ReactNode;
  box?: WorkBox;
};

/** The side menu, in the order the Seeyon/DingTalk audience expects: home first, then the four task lists. */
export const navItems: ReadonlyArray<NavItem> = [
  { area: 'workspace', path: '/', icon: <HomeOutlined aria-hidden /> },
  { area: 'pending', path: '/pending', icon: <ClockCircleOutlined aria-hidden />, box: 'pending' },
  { area: 'done', path: '/done', icon: <CheckCircleOutlined aria-hidden />, box: 'done' },
  { area: 'sent', path: '/sent', icon: <SendOutlined aria-hidden />, box: 'sent' },
  { area: 'tracked', path: '/tracked', icon: <EyeOutlined aria-hidden />, box: 'tracked' },
  { area: 'drafts', path: '/drafts', icon: <EditOutlined aria-hidden />, box: 'drafts' },
  { area: 'records', path: '/records', icon: <DatabaseOutlined aria-hidden /> },
  { area: 'reports', path: '/reports', icon: <BarChartOutlined aria-hidden /> },
  { area: 'admin', path: '/admin', icon: <SettingOutlined aria-hidden /> },
];

/** Pages under 管理, each shown only to members holding its permission. */
export type AdminNavItem = { path: string; label: MessageKey; icon: ReactNode; permission: string };

export const adminNavItems: ReadonlyArray<AdminNavItem> = [
  { path: '/admin/org', label: 'nav.adminOrg', icon: <ApartmentOutlined aria-hidden />, permission: 'org.write' },
  { path: '/admin/posts', label: 'nav.adminPosts', icon: <IdcardOutlined aria-hidden />, permission: 'org.write' },
  {
    path: '/admin/levels',
    label: 'nav.adminLevels',
    icon: <OrderedListOutlined aria-hidden />,
    permission: 'org.write',
  },
  {
    path: '/admin/roles',
    label: 'nav.adminRoles',
    icon: <SafetyCertificateOutlined aria-hidden />,
    permission: 'org.role.write',
  },
  {
    path: '/admin/org/import',
    label: 'nav.adminOrgImport',
    icon: <CloudUploadOutlined aria-hidden />,
    permission: 'org.write',
  },
  { path: '/admin/audit', label: 'nav.adminAudit', icon: <AuditOutlined aria-hidden />, permission: 'audit.read' },
  { path: '/admin/packs', label: 'nav.adminPacks', icon: <AppstoreOutlined aria-hidden />, permission: 'pack.export' },
  { path: '/admin/forms', label: 'nav.adminForms', icon: <FormOutlined aria-hidden />, permission: 'form.design' },
  { path: '/admin/flows', label: 'nav.adminFlows', icon: <BranchesOutlined aria-hidden />, permission: 'flow.design' },
  {
    path: '/admin/rules',
    label: 'nav.adminRules',
    icon: <ThunderboltOutlined aria-hidden />,
    permission: 'rule.design',
  },
  {
    path: '/admin/reports',
    label: 'nav.adminReports',
    icon: <FundOutlined aria-hidden />,
    permission: 'report.design',
  },
  {
    path: '/admin/schedules',
    label: 'nav.adminSchedules',
    icon: <FieldTimeOutlined aria-hidden />,
    permission: 'schedule.admin',
  },
  {
    path: '/admin/settings',
    label: 'nav.adminSettings',
    icon: <ControlOutlined aria-hidden />,
    permission: 'settings.write',
  },
  {
    path: '/admin/dead-letters',
    label: 'nav.adminDeadLetters',
    icon: <MailOutlined aria-hidden />,
    permission: 'message.admin',
  },
];

/** The menu entry a path belongs to: the longest prefix match, so `/pending/42` lights up 待办. */
export function navItemFor(pathname: string): NavItem | undefined {
  let best: NavItem | undefined;
  for (const item of navItems) {
    const matches =
      item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`);
    if (matches && (!best || item.path.length > best.path.length)) best = item;
  }
  return best;
}
