import { BarChartOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Input, Result, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { packsApi, type ReportSummary, reportsApi } from '../../api/reports.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { type Label, pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { reportPath } from './report-model.ts';
import './reports.css';

type Group = { key: string; label: Label | null; reports: ReportSummary[] };

/** Reports grouped as the installed packs' menus group them (客户统计 …), the rest under 其他报表. */
function groupsOf(reports: ReportSummary[], menus: Awaited<ReturnType<typeof packsApi.menus>>): Group[] {
  const byId = new Map(reports.map((report) => [`${report.pack}.${report.key}`, report]));
  const placed = new Set<string>();
  const groups: Group[] = [];
  for (const pack of menus) {
    for (const menu of pack.menus) {
      const found = menu.items
        .filter((item) => item.kind === 'report')
        .map((item) => byId.get(`${item.pack}.${item.target}`))
        .filter((report): report is ReportSummary => report !== undefined);
      if (found.length === 0) continue;
      for (const report of found) placed.add(`${report.pack}.${report.key}`);
      groups.push({ key: `${pack.pack}.${menu.key}`, label: menu.label, reports: found });
    }
  }
  const rest = reports.filter((report) => !placed.has(`${report.pack}.${report.key}`));
  if (rest.length > 0) groups.push({ key: 'other', label: null, reports: rest });
  return groups;
}

/** `/reports`: the reports the member may run, searchable by name. */
export function ReportsCataloguePage() {
  const t = useT();
  const locale = useLocale();
  const title = t('reports.title');
  useDocumentTitle(title);
  const [text, setText] = useState('');
  const loaded = useLoad(async () => {
    const [reports, menus] = await Promise.all([reportsApi.list(), packsApi.menus().catch(() => [])]);
    return groupsOf(reports, menus);
  }, 'reports');

  const groups = useMemo(() => {
    const needle = text.trim().toLowerCase();
    if (!loaded.data || !needle) return loaded.data;
    return loaded.data
      .map((group) => ({
        ...group,
        reports: group.reports.filter((report) =>
          [report.label.zh, report.label.en].some((name) => name.toLowerCase().includes(needle)),
        ),
      }))
      .filter((group) => group.reports.length > 0);
  }, [loaded.data, text]);

  if (loaded.error) {
    const description = describeApiError(loaded.error, t, t('reports.catalogue.loadFailed'));
    return (
      <>
        <PageHeader title={title} />
        <Result
          status="warning"
          title={description.title}
          subTitle={description.detail}
          extra={<Button onClick={loaded.reload}>{t('reports.retry')}</Button>}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={title}
        description={t('reports.catalogue.description')}
        extra={
          <Flex gap={8} wrap>
            <Input.Search
              allowClear
              className="reports-search"
              placeholder={t('reports.catalogue.search')}
              aria-label={t('reports.catalogue.search')}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
            <Button icon={<ReloadOutlined aria-hidden />} onClick={loaded.reload}>
              {t('reports.refresh')}
            </Button>
          </Flex>
        }
      />
      {!groups ? (
        <Skeleton active />
      ) : groups.length === 0 ? (
        <Card>
          <Empty
            description={
              text.trim() ? t('reports.catalogue.noMatch', { text: text.trim() }) : t('reports.catalogue.empty')
            }
          />
        </Card>
      ) : (
        groups.map((group) => {
          const heading = group.label ? pickLabel(group.label, locale) : t('reports.catalogue.other');
          return (
            <section key={group.key} className="reports-group" aria-label={heading}>
              <h2 className="reports-group-title">{heading}</h2>
              <ul className="reports-catalogue">
                {group.reports.map((report) => (
                  <li key={`${report.pack}.${report.key}`}>
                    <Link
                      to={reportPath(report.pack, report.key)}
                      className="reports-tile"
                      data-report={`${report.pack}.${report.key}`}
                    >
                      <BarChartOutlined aria-hidden className="reports-tile-icon" />
                      <span className="reports-tile-name">{pickLabel(report.label, locale)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </>
  );
}
