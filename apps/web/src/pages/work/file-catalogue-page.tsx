import { FileAddOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, Result, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type FlowSummary, flowsApi } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { categoryLabel } from './work-shared.tsx';
import './work.css';

/** 发起: every flow the member may file, grouped by category, with a search over names and codes. */
export function FileCataloguePage() {
  const t = useT();
  const locale = useLocale();
  useDocumentTitle(t('work.file.title'));
  const flows = useLoad(() => flowsApi.list(), 'flows');
  const [search, setSearch] = useState('');

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const matching = (flows.data ?? []).filter(
      (flow) =>
        !needle ||
        flow.name.zh.toLowerCase().includes(needle) ||
        flow.name.en.toLowerCase().includes(needle) ||
        `${flow.pack}.${flow.key}`.toLowerCase().includes(needle),
    );
    const byCategory = new Map<string, FlowSummary[]>();
    for (const flow of matching) {
      const category = flow.category ?? '';
      byCategory.set(category, [...(byCategory.get(category) ?? []), flow]);
    }
    return [...byCategory.entries()]
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, locale)))
      .map(([category, list]) => ({
        category,
        flows: list.sort((a, b) => pickLabel(a.name, locale).localeCompare(pickLabel(b.name, locale), locale)),
      }));
  }, [flows.data, search, locale]);

  return (
    <>
      <PageHeader
        title={t('work.file.title')}
        description={t('work.file.description')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={flows.reload}>
            {t('work.list.refresh')}
          </Button>
        }
      />
      <Card>
        <Input.Search
          className="work-search"
          allowClear
          placeholder={t('work.file.searchPlaceholder')}
          aria-label={t('work.file.searchPlaceholder')}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={setSearch}
        />
        {flows.error ? (
          <Result
            status="warning"
            title={describeApiError(flows.error, t, t('work.file.loadFailed')).title}
            subTitle={describeApiError(flows.error, t).detail}
            extra={<Button onClick={flows.reload}>{t('work.retry')}</Button>}
          />
        ) : flows.loading && !flows.data ? (
          <Skeleton active />
        ) : groups.length === 0 ? (
          <Empty description={search ? t('work.list.noMatch') : t('work.file.none')} />
        ) : (
          groups.map((group) => (
            <section key={group.category || '-'} className="work-catalogue-group">
              <h2 className="work-catalogue-category">
                {group.category ? categoryLabel(group.category, t) : t('work.file.uncategorised')}
              </h2>
              <ul className="work-catalogue">
                {group.flows.map((flow) => (
                  <li key={`${flow.pack}.${flow.key}`}>
                    <Link to={`/work/file/${flow.pack}/${flow.key}`} className="work-catalogue-tile">
                      <FileAddOutlined aria-hidden className="work-catalogue-icon" />
                      <span className="work-catalogue-name">{pickLabel(flow.name, locale)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </Card>
    </>
  );
}
