import { AppstoreOutlined, BarChartOutlined, FileAddOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Skeleton } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  type PackMenuItem,
  type PackMenus,
  type ParamValues,
  type ReportDefinition,
  type ReportResult,
  reportsApi,
} from '../../api/reports.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { type Translate, useLocale, useT } from '../../i18n/index.ts';
import { useLoad } from '../records/use-form-definition.ts';
import { LazyChart } from './lazy-chart.tsx';
import { chartSpec, formatFigure, reportPath, type Texts } from './report-model.ts';
import './reports.css';

/** At most this many pinned reports are run for the workspace; the rest stay one click away under 报表. */
const MAX_PINS = 8;

type Tile = { id: string; pack: string; key: string; params: ParamValues | null };

/** One pinned report: its headline figures (the total row) and, when the definition has one, a small chart. */
function PinnedReport({ tile, texts }: { tile: Tile; texts: Texts }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const loaded = useLoad(
    async (): Promise<{ definition: ReportDefinition; result: ReportResult }> => {
      const [detail, result] = await Promise.all([
        reportsApi.get(tile.pack, tile.key),
        reportsApi.run(tile.pack, tile.key, tile.params ?? {}),
      ]);
      return { definition: detail.definition, result };
    },
    `${tile.id}:${JSON.stringify(tile.params)}`,
  );
  const path = reportPath(tile.pack, tile.key, tile.params);
  const spec = useMemo(
    () => (loaded.data ? chartSpec(loaded.data.definition, loaded.data.result, locale, texts) : undefined),
    [loaded.data, locale, texts],
  );
  if (loaded.error) {
    return (
      <li className="pinned-report" data-report={`${tile.pack}.${tile.key}`}>
        <Link to={path} className="pinned-report-title">
          {`${tile.pack}.${tile.key}`}
        </Link>
        <Alert type="warning" showIcon title={t('work.home.reportFailed')} />
      </li>
    );
  }
  if (!loaded.data) {
    return (
      <li className="pinned-report">
        <Skeleton active paragraph={{ rows: 3 }} />
      </li>
    );
  }
  const { definition, result } = loaded.data;
  const total =
    result.rows.find((row) => row.kind === 'total') ?? (result.rows.length === 1 ? result.rows[0] : undefined);
  const title = pickLabel(definition.label, locale);
  return (
    <li className="pinned-report" data-report={`${tile.pack}.${tile.key}`}>
      <Link to={path} className="pinned-report-title">
        {title}
      </Link>
      {total && (
        <dl className="pinned-report-figures">
          {result.measures.slice(0, 2).map((measure) => (
            <div key={measure.key} className="pinned-report-figure">
              <dt>{pickLabel(measure.label, locale)}</dt>
              <dd>{formatFigure(total.values[measure.key], measure.type, locale) || '—'}</dd>
            </div>
          ))}
        </dl>
      )}
      {spec && (
        <LazyChart
          spec={spec}
          locale={locale}
          compact
          height={170}
          label={t('reports.chart.label', { report: title })}
          failed={null}
          onPick={() => navigate(path)}
        />
      )}
    </li>
  );
}

/**
 * 我的报表 on the workspace: the reports the member pinned and those of their roles' dashboards, each as its
 * figures and a small chart linking to the report with the saved parameters.
 */
export function PinnedReports() {
  const t = useT();
  const locale = useLocale();
  const texts: Texts = useMemo(
    () => ({ blank: t('reports.table.blank'), total: t('reports.table.total'), subtotal: t('reports.table.subtotal') }),
    [t],
  );
  const portal = useLoad(() => reportsApi.portal(), 'portal');
  const sections = useMemo(() => {
    if (!portal.data) return undefined;
    const pins: Tile[] = portal.data.pins.map((pin) => ({
      id: `pin:${pin.pack}.${pin.key}`,
      pack: pin.pack,
      key: pin.key,
      params: pin.params,
    }));
    const dashboards = portal.data.dashboards
      .filter((dashboard) => dashboard.items.length > 0)
      .map((dashboard) => ({
        key: dashboard.key,
        label: pickLabel(dashboard.label, locale),
        tiles: dashboard.items.map((item, index) => ({
          id: `dash:${dashboard.key}:${index}`,
          pack: item.pack,
          key: item.key,
          params: item.params ?? null,
        })),
      }));
    return { pins: pins.slice(0, MAX_PINS), dashboards };
  }, [portal.data, locale]);

  return (
    <Card
      title={t('work.home.reports')}
      className="work-home-card pinned-reports-card"
      extra={
        <Link to="/reports">
          {t('work.home.allReports')} <RightOutlined aria-hidden />
        </Link>
      }
    >
      {portal.error ? (
        <Alert type="warning" showIcon title={t('work.home.reportFailed')} />
      ) : !sections ? (
        <Skeleton active />
      ) : (
        <>
          {sections.pins.length === 0 && sections.dashboards.length === 0 && (
            <Empty
              image={<BarChartOutlined aria-hidden className="placeholder-icon" />}
              description={t('work.home.reportsEmpty')}
            />
          )}
          {sections.pins.length > 0 && (
            <ul className="pinned-reports" aria-label={t('work.home.reports')}>
              {sections.pins.map((tile) => (
                <PinnedReport key={tile.id} tile={tile} texts={texts} />
              ))}
            </ul>
          )}
          {sections.dashboards.map((dashboard) => (
            <section key={dashboard.key} className="app-entries-group" aria-label={dashboard.label}>
              <h3 className="app-entries-title">{dashboard.label}</h3>
              <ul className="pinned-reports">
                {dashboard.tiles.map((tile) => (
                  <PinnedReport key={tile.id} tile={tile} texts={texts} />
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </Card>
  );
}

/** Where a pack's menu entry leads in this app. */
export function entryPath(item: PackMenuItem): string {
  const seg = encodeURIComponent;
  switch (item.kind) {
    case 'form':
      return `/records/${seg(item.pack)}/${seg(item.target)}${item.view === 'new' ? '/new' : ''}`;
    case 'flow':
      return `/work/file/${seg(item.pack)}/${seg(item.target)}`;
    case 'report':
      return reportPath(item.pack, item.target);
  }
}

function entryIcon(item: PackMenuItem) {
  if (item.kind === 'report') return <BarChartOutlined aria-hidden className="app-entry-icon" />;
  if (item.kind === 'flow') return <FileAddOutlined aria-hidden className="app-entry-icon" />;
  if (item.view === 'new') return <PlusOutlined aria-hidden className="app-entry-icon" />;
  return <AppstoreOutlined aria-hidden className="app-entry-icon" />;
}

/**
 * 常用应用: the installed packs' menus as entries (客户档案, 商机 …), only those the member may use. Reports
 * have their own card and catalogue, so report entries are left out here.
 */
export function AppEntries({ menus, t }: { menus: PackMenus; t: Translate }) {
  const locale = useLocale();
  const groups = menus.flatMap((pack) =>
    pack.menus
      .map((menu) => ({
        key: `${pack.pack}.${menu.key}`,
        label: pickLabel(menu.label, locale),
        items: menu.items.filter((item) => item.kind !== 'report'),
      }))
      .filter((menu) => menu.items.length > 0),
  );
  if (groups.length === 0) return null;
  return (
    <Card title={t('work.home.entries')} className="work-home-card app-entries-card">
      {groups.map((group) => (
        <section key={group.key} className="app-entries-group" aria-label={group.label}>
          <h3 className="app-entries-title">{group.label}</h3>
          <ul className="app-entries">
            {group.items.map((item) => (
              <li key={item.key}>
                <Link to={entryPath(item)} className="app-entry" data-entry={`${item.pack}.${item.key}`}>
                  {entryIcon(item)}
                  <span>{pickLabel(item.label, locale)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Card>
  );
}
