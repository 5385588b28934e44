import { Empty } from 'antd';
import { Link } from 'react-router';
import { adminApi } from '../../api/admin.ts';
import { api } from '../../api/client.ts';
import { flowsApi } from '../../api/flows.ts';
import { type DepartmentNode, orgApi } from '../../api/org.ts';
import { packsApi } from '../../api/packs.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { formsApi } from '../../form-runtime/api.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, useT } from '../../i18n/index.ts';
import { type AdminNavItem, adminNavItems } from '../../layout/nav-items.tsx';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import './admin-home.css';

/** What each administration area is for, in one line, by its path in adminNavItems. */
const descriptions: Readonly<Record<string, MessageKey>> = {
  '/admin/org': 'adminHome.org',
  '/admin/posts': 'adminHome.posts',
  '/admin/levels': 'adminHome.levels',
  '/admin/roles': 'adminHome.roles',
  '/admin/org/import': 'adminHome.orgImport',
  '/admin/audit': 'adminHome.audit',
  '/admin/packs': 'adminHome.packs',
  '/admin/forms': 'adminHome.forms',
  '/admin/flows': 'adminHome.flows',
  '/admin/rules': 'adminHome.rules',
  '/admin/reports': 'adminHome.reports',
  '/admin/schedules': 'adminHome.schedules',
  '/admin/settings': 'adminHome.settings',
  '/admin/dead-letters': 'adminHome.deadLetters',
};

/** A live figure on a card, as a message and its count; `alert` when it asks for the administrator's attention. */
type Figure = { message: MessageKey; count?: number | string; alert?: boolean };

const countNodes = (nodes: readonly DepartmentNode[]): number =>
  nodes.reduce((sum, node) => sum + 1 + countNodes(node.children), 0);

/**
 * Figures only where a list the area's own page reads already answers in one request: no API exists for the
 * overview, so it costs nothing the pages do not cost already. Loaded only for cards the member sees.
 */
const figures: Readonly<Record<string, () => Promise<Figure>>> = {
  '/admin/org': async () => ({ message: 'adminHome.figure.departments', count: countNodes(await orgApi.tree()) }),
  '/admin/packs': async () => ({
    message: 'adminHome.figure.packs',
    count: (await packsApi.list()).filter((pack) => pack.installed).length,
  }),
  '/admin/forms': async () => ({ message: 'adminHome.figure.forms', count: (await formsApi.list()).length }),
  '/admin/flows': async () => ({ message: 'adminHome.figure.flows', count: (await flowsApi.list()).length }),
  '/admin/schedules': async () => {
    const failed = (await adminApi.schedules()).counts
      .filter((count) => count.state === 'failed')
      .reduce((sum, count) => sum + count.count, 0);
    return failed > 0
      ? { message: 'adminHome.figure.failedTimers', count: failed, alert: true }
      : { message: 'adminHome.figure.noFailedTimers' };
  },
  '/admin/dead-letters': async () => {
    const page = await api<{ items: unknown[]; nextCursor: string | null }>('/api/messages/dead-letters', {
      query: { limit: 100 },
    });
    return page.items.length > 0
      ? {
          message: 'adminHome.figure.deadLetters',
          count: `${page.items.length}${page.nextCursor ? '+' : ''}`,
          alert: true,
        }
      : { message: 'adminHome.figure.noDeadLetters' };
  },
};

function CardFigure({ path, load }: { path: string; load: () => Promise<Figure> }) {
  const t = useT();
  const figure = useLoad(load, path);
  // A figure that cannot be read is left out: the card still leads to the page, which says why.
  if (figure.error) return null;
  if (!figure.data) return <span className="admin-home-figure is-loading" aria-hidden />;
  const { message, count, alert } = figure.data;
  return (
    <span className={`admin-home-figure${alert ? ' is-alert' : ''}`}>
      {t(message, count === undefined ? undefined : { count })}
    </span>
  );
}

function AreaCard({ item }: { item: AdminNavItem }) {
  const t = useT();
  const description = descriptions[item.path];
  const load = figures[item.path];
  return (
    <li>
      <Link to={item.path} className="admin-home-card" data-path={item.path}>
        <span className="admin-home-icon">{item.icon}</span>
        <span className="admin-home-text">
          <span className="admin-home-title">{t(item.label)}</span>
          {description && <span className="admin-home-description">{t(description)}</span>}
          {load && <CardFigure path={item.path} load={load} />}
        </span>
      </Link>
    </li>
  );
}

/**
 * 管理: the administration areas the member may use — the side menu's list, by the same permissions — as cards
 * saying what each is for, with a live figure where one is cheap (departments, packs, published forms and flows,
 * failed timers, undelivered messages).
 */
export function AdminHomePage() {
  const t = useT();
  const session = useSession();
  useDocumentTitle(t('nav.admin'));
  const areas = adminNavItems.filter((item) => hasPermission(session, item.permission));
  return (
    <>
      <PageHeader title={t('nav.admin')} description={t('page.admin.description')} />
      {areas.length === 0 ? (
        <Empty className="admin-home-empty" description={t('adminHome.none')} />
      ) : (
        <ul className="admin-home-grid" aria-label={t('adminHome.areas')}>
          {areas.map((item) => (
            <AreaCard key={item.path} item={item} />
          ))}
        </ul>
      )}
    </>
  );
}
