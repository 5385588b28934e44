import { createBrowserRouter, Outlet, type RouteObject } from 'react-router';
import type { WorkBox } from './api/flows.ts';
import { CHANGE_PASSWORD_ROUTE, RequireSession } from './auth/require-session.tsx';
import { AppShell } from './layout/app-shell.tsx';
import { navItems } from './layout/nav-items.tsx';
import { AuditLogPage } from './pages/admin/audit-log-page.tsx';
import { LevelsPage } from './pages/admin/levels-page.tsx';
import { OrgAdminPage } from './pages/admin/org-admin-page.tsx';
import { OrgImportPage } from './pages/admin/org-import-page.tsx';
import { PostsPage } from './pages/admin/posts-page.tsx';
import { RolesPage } from './pages/admin/roles-page.tsx';
import { ChangePasswordPage } from './pages/change-password-page.tsx';
import { RouteErrorPage } from './pages/error-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ProfilePage } from './pages/profile-page.tsx';

const workList =
  (box: WorkBox): RouteObject['lazy'] =>
  () =>
    import('./pages/work/work-list-page.tsx').then((m) => ({ Component: m.workListPages[box] }));

// The work lists, the workspace and the administration overview; 数据中心 and 报表 are routed below.
const areaRoutes: RouteObject[] = navItems.flatMap((item): RouteObject[] => {
  if (item.area === 'records' || item.area === 'reports') return [];
  if (item.box) return [{ path: item.path.slice(1), lazy: workList(item.box) }];
  if (item.area === 'admin') {
    return [
      {
        path: item.path.slice(1),
        lazy: () => import('./pages/admin/admin-home-page.tsx').then((m) => ({ Component: m.AdminHomePage })),
      },
    ];
  }
  return [
    {
      index: true,
      lazy: () => import('./pages/work/workspace-page.tsx').then((m) => ({ Component: m.WorkspacePage })),
    },
  ];
});

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage fullPage /> },
  {
    path: CHANGE_PASSWORD_ROUTE,
    element: (
      <RequireSession passwordPage>
        <ChangePasswordPage />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage fullPage />,
  },
  // 打印: a request or a record as its paper form, outside the shell (no menus on paper).
  {
    path: '/print',
    element: (
      <RequireSession>
        <Outlet />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage fullPage />,
    children: [
      {
        path: 'instances/:id',
        lazy: () => import('./pages/print/print-page.tsx').then((m) => ({ Component: m.PrintInstancePage })),
      },
      {
        path: 'records/:pack/:key/:id',
        lazy: () => import('./pages/print/print-page.tsx').then((m) => ({ Component: m.PrintRecordPage })),
      },
    ],
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage fullPage />,
    children: [
      {
        // A failing page renders its error inside the shell, so the menu stays usable.
        errorElement: <RouteErrorPage />,
        children: [
          ...areaRoutes,
          { path: 'profile', element: <ProfilePage /> },
          // The form runtime (widgets, expression language, sanitiser) loads with the first records page.
          {
            path: 'records',
            lazy: () => import('./pages/records/forms-list-page.tsx').then((m) => ({ Component: m.FormsListPage })),
          },
          {
            path: 'records/:pack/:key',
            lazy: () => import('./pages/records/record-list-page.tsx').then((m) => ({ Component: m.RecordListPage })),
          },
          {
            path: 'records/:pack/:key/new',
            lazy: () => import('./pages/records/record-page.tsx').then((m) => ({ Component: m.RecordPage })),
          },
          {
            path: 'records/:pack/:key/:id',
            lazy: () => import('./pages/records/record-page.tsx').then((m) => ({ Component: m.RecordPage })),
          },
          // 报表: the catalogue and one report; ECharts loads with the first chart, never with the shell.
          {
            path: 'reports',
            lazy: () =>
              import('./pages/reports/reports-catalogue-page.tsx').then((m) => ({ Component: m.ReportsCataloguePage })),
          },
          {
            path: 'reports/:pack/:key',
            lazy: () => import('./pages/reports/report-page.tsx').then((m) => ({ Component: m.ReportPage })),
          },
          // The work lists, filing and the task page (flow engine); filing and tasks load the form runtime.
          { path: 'notify', lazy: workList('notify') },
          {
            path: 'work/file',
            lazy: () =>
              import('./pages/work/file-catalogue-page.tsx').then((m) => ({ Component: m.FileCataloguePage })),
          },
          {
            path: 'work/file/:pack/:key',
            lazy: () => import('./pages/work/file-page.tsx').then((m) => ({ Component: m.FilePage })),
          },
          {
            path: 'work/instances/:id',
            lazy: () => import('./pages/work/instance-page.tsx').then((m) => ({ Component: m.InstancePage })),
          },
          { path: 'admin/org', element: <OrgAdminPage /> },
          { path: 'admin/org/import', element: <OrgImportPage /> },
          { path: 'admin/posts', element: <PostsPage /> },
          { path: 'admin/levels', element: <LevelsPage /> },
          { path: 'admin/roles', element: <RolesPage /> },
          { path: 'admin/audit', element: <AuditLogPage /> },
          // 应用包 (pack.export, pack.install): export, and import with the validation report and the diff.
          {
            path: 'admin/packs',
            lazy: () => import('./pages/admin/packs-page.tsx').then((m) => ({ Component: m.PacksPage })),
          },
          // 表单设计 (form.design): the designer loads the form runtime and the expression language.
          {
            path: 'admin/forms',
            lazy: () => import('./pages/design/design-forms-page.tsx').then((m) => ({ Component: m.DesignFormsPage })),
          },
          {
            path: 'admin/forms/new',
            lazy: () => import('./pages/design/designer-page.tsx').then((m) => ({ Component: m.DesignerPage })),
          },
          {
            path: 'admin/forms/:pack/:key',
            lazy: () => import('./pages/design/designer-page.tsx').then((m) => ({ Component: m.DesignerPage })),
          },
          // 流程设计 (flow.design): the DingTalk-style flow designer.
          {
            path: 'admin/flows',
            lazy: () =>
              import('./pages/flow-design/flow-design-list-page.tsx').then((m) => ({
                Component: m.FlowDesignListPage,
              })),
          },
          {
            path: 'admin/flows/new',
            lazy: () =>
              import('./pages/flow-design/flow-designer-page.tsx').then((m) => ({ Component: m.FlowDesignerPage })),
          },
          {
            path: 'admin/flows/:pack/:key',
            lazy: () =>
              import('./pages/flow-design/flow-designer-page.tsx').then((m) => ({ Component: m.FlowDesignerPage })),
          },
          // 业务规则 (rule.design) and 报表设计 (report.design): the rule editor draws action settings from the
          // server's registry; the report editor previews drafts with the report page's chart and table.
          {
            path: 'admin/rules',
            lazy: () =>
              import('./pages/rule-design/rule-design-list-page.tsx').then((m) => ({
                Component: m.RuleDesignListPage,
              })),
          },
          {
            path: 'admin/rules/new',
            lazy: () =>
              import('./pages/rule-design/rule-designer-page.tsx').then((m) => ({ Component: m.RuleDesignerPage })),
          },
          {
            path: 'admin/rules/:pack/:key',
            lazy: () =>
              import('./pages/rule-design/rule-designer-page.tsx').then((m) => ({ Component: m.RuleDesignerPage })),
          },
          {
            path: 'admin/reports',
            lazy: () =>
              import('./pages/report-design/report-design-list-page.tsx').then((m) => ({
                Component: m.ReportDesignListPage,
              })),
          },
          {
            path: 'admin/reports/new',
            lazy: () =>
              import('./pages/report-design/report-designer-page.tsx').then((m) => ({
                Component: m.ReportDesignerPage,
              })),
          },
          {
            path: 'admin/reports/:pack/:key',
            lazy: () =>
              import('./pages/report-design/report-designer-page.tsx').then((m) => ({
                Component: m.ReportDesignerPage,
              })),
          },
          // 定时任务 (schedule.admin) and 系统设置 (settings.write).
          {
            path: 'admin/schedules',
            lazy: () => import('./pages/admin/schedules-page.tsx').then((m) => ({ Component: m.SchedulesPage })),
          },
          {
            path: 'admin/settings',
            lazy: () => import('./pages/admin/settings-page.tsx').then((m) => ({ Component: m.SettingsPage })),
          },
          {
            path: 'admin/dead-letters',
            lazy: () => import('./pages/admin/dead-letters-page.tsx').then((m) => ({ Component: m.DeadLettersPage })),
          },
          {
            path: 'messages',
            lazy: () => import('./pages/messages/messages-page.tsx').then((m) => ({ Component: m.MessagesPage })),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
