import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireSession } from './auth/require-session.tsx';
import { AppShell } from './layout/app-shell.tsx';
import { navItems } from './layout/nav-items.tsx';
import { RouteErrorPage } from './pages/error-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PlaceholderPage } from './pages/placeholder-page.tsx';

// Until each engine brings its own pages, every menu entry is an honest placeholder.
const areaRoutes: RouteObject[] = navItems.map((item) =>
  item.path === '/'
    ? { index: true, element: <PlaceholderPage area={item.area} icon={item.icon} /> }
    : { path: item.path.slice(1), element: <PlaceholderPage area={item.area} icon={item.icon} /> },
);

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage fullPage /> },
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
        children: [...areaRoutes, { path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
