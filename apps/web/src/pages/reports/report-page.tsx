import { DownloadOutlined, PushpinFilled, PushpinOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Dropdown, Flex, Result, Skeleton } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import {
  type DrillCell,
  downloadExport,
  type ReportDefinition,
  type ReportResult,
  reportsApi,
} from '../../api/reports.ts';
import { ApiErrorBody, describeApiError, useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { formsApi } from '../../form-runtime/api.ts';
import { type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useExportDownload } from '../../hooks/use-export-download.tsx';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { DrillDrawer, type DrillTarget } from './drill-drawer.tsx';
import { LazyChart } from './lazy-chart.tsx';
import { chartSpec, compactParams, formatFigure, parseParams, type Texts } from './report-model.ts';
import { defaultParams, type ParamValues, ReportParams } from './report-params.tsx';
import { ReportTable } from './report-table.tsx';
import './reports.css';

/** `/reports/:pack/:key?p=<parameters>`: the parameter panel, the chart and the table of one report. */
export function ReportPage() {
  const { pack = '', key = '' } = useParams();
  const t = useT();
  const loaded = useLoad(async () => {
    const [detail, portal] = await Promise.all([reportsApi.get(pack, key), reportsApi.portal().catch(() => undefined)]);
    // The form's definition draws drill values with their widgets; without it they show as plain text.
    const form = await formsApi
      .get(detail.definition.form.pack, detail.definition.form.key)
      .then((published) => published.definition)
      .catch(() => undefined);
    const pinned = portal?.pins.some((pin) => pin.pack === pack && pin.key === key) ?? false;
    return { definition: detail.definition, form, pinned };
  }, `${pack}/${key}`);

  if (loaded.error) {
    const description = describeApiError(loaded.error, t, t('reports.loadFailed'));
    return (
      <Result
        status={isApiError(loaded.error) && loaded.error.status === 404 ? '404' : 'warning'}
        title={description.title}
        subTitle={description.detail}
        extra={
          <Flex gap={8} justify="center">
            <Button onClick={loaded.reload}>{t('reports.retry')}</Button>
            <Link to="/reports">{t('reports.backToCatalogue')}</Link>
          </Flex>
        }
      />
    );
  }
  if (!loaded.data) return <Skeleton active />;
  return (
    <ReportView
      key={`${pack}/${key}`}
      pack={pack}
      reportKey={key}
      definition={loaded.data.definition}
      form={loaded.data.form}
      initiallyPinned={loaded.data.pinned}
    />
  );
}

function ReportView({
  pack,
  reportKey,
  definition,
  form,
  initiallyPinned,
}: {
  pack: string;
  reportKey: string;
  definition: ReportDefinition;
  form: FormDefinition | undefined;
  initiallyPinned: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [search, setSearch] = useSearchParams();
  const title = pickLabel(definition.label, locale);
  useDocumentTitle(title);
  const texts: Texts = useMemo(
    () => ({ blank: t('reports.table.blank'), total: t('reports.table.total'), subtotal: t('reports.table.subtotal') }),
    [t],
  );

  // The parameters live in the address, so a reload, a shared link and a pin show the same figures.
  const addressed = search.get('p');
  const params: ParamValues = useMemo(
    () => parseParams(addressed) ?? defaultParams(definition),
    [addressed, definition],
  );
  const apply = (next: ParamValues) => {
    const compact = compactParams(next);
    setSearch(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('p', JSON.stringify(compact));
        return updated;
      },
      { replace: false },
    );
  };

  const [result, setResult] = useState<ReportResult>();
  const [runError, setRunError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` re-runs on 刷新
  useEffect(() => {
    let alive = true;
    setRunning(true);
    setRunError(undefined);
    reportsApi.run(pack, reportKey, params).then(
      (next) => {
        if (!alive) return;
        setResult(next);
        setRunning(false);
      },
      (error: unknown) => {
        if (!alive) return;
        setRunError(error);
        setRunning(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [pack, reportKey, params, tick]);

  const [drill, setDrill] = useState<DrillTarget>();
  const [exporting, setExporting] = useState<'result' | 'drill'>();
  const download = useExportDownload();
  const exportFile = async (what: 'result' | 'drill', format: 'xlsx' | 'csv', cell?: DrillCell) => {
    setExporting(what);
    try {
      const url =
        what === 'drill' && cell
          ? reportsApi.drillExportUrl(pack, reportKey, format, params, cell)
          : reportsApi.exportUrl(pack, reportKey, format, params);
      await download.run((options) => downloadExport(url, `${pack}-${reportKey}.${format}`, options));
    } catch (error) {
      notify(error);
    } finally {
      setExporting(undefined);
    }
  };

  const [pinned, setPinned] = useState(initiallyPinned);
  const [pinning, setPinning] = useState(false);
  const togglePin = async () => {
    setPinning(true);
    try {
      if (pinned) {
        await reportsApi.unpin(pack, reportKey);
        setPinned(false);
        message.success(t('reports.unpinned'));
      } else {
        const compact = compactParams(params);
        await reportsApi.pin(pack, reportKey, Object.keys(compact).length > 0 ? compact : null);
        setPinned(true);
        message.success(t('reports.pinned'));
      }
    } catch (error) {
      notify(error);
    } finally {
      setPinning(false);
    }
  };

  const spec = useMemo(
    () => (result ? chartSpec(definition, result, locale, texts) : undefined),
    [definition, result, locale, texts],
  );
  const onPick = useCallback((target: DrillTarget) => setDrill(target), []);
  const exportMenu = {
    items: [
      { key: 'xlsx', label: t('reports.export.xlsx') },
      { key: 'csv', label: t('reports.export.csv') },
    ],
    onClick: ({ key }: { key: string }) => void exportFile('result', key as 'xlsx' | 'csv'),
  };

  return (
    <div className="report-page" data-report={`${pack}.${reportKey}`}>
      <PageHeader
        title={title}
        description={definition.description ? pickLabel(definition.description, locale) : t('reports.chart.hint')}
        extra={
          <Flex gap={8} wrap>
            <Link to="/reports" className="report-back">
              {t('reports.backToCatalogue')}
            </Link>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={() => setTick((n) => n + 1)} loading={running}>
              {t('reports.refresh')}
            </Button>
            <Dropdown menu={exportMenu}>
              <Button
                icon={<DownloadOutlined aria-hidden />}
                loading={exporting === 'result'}
                className="report-export"
              >
                {t('reports.export.button')}
              </Button>
            </Dropdown>
            <Button
              icon={pinned ? <PushpinFilled aria-hidden /> : <PushpinOutlined aria-hidden />}
              aria-pressed={pinned}
              loading={pinning}
              onClick={() => void togglePin()}
              className="report-pin"
            >
              {pinned ? t('reports.unpin') : t('reports.pin')}
            </Button>
          </Flex>
        }
      />
      {definition.params.length > 0 && (
        <Card className="report-params-card" title={t('reports.params.title')} size="small">
          <ReportParams definition={definition} values={params} onApply={apply} />
        </Card>
      )}
      {runError !== undefined && (
        <Alert
          type="error"
          showIcon
          className="report-error"
          title={t('reports.runFailed')}
          description={<ApiErrorBody description={describeApiError(runError, t, t('reports.runFailed'))} t={t} />}
          action={<Button onClick={() => setTick((n) => n + 1)}>{t('reports.retry')}</Button>}
        />
      )}
      {!result && !runError ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        result && (
          <div aria-busy={running} className={running ? 'report-result is-running' : 'report-result'}>
            {spec && (
              <Card className="report-chart-card" title={t('reports.chart.title')} size="small">
                <LazyChart
                  spec={spec}
                  locale={locale}
                  height={narrow ? 260 : 340}
                  label={t('reports.chart.label', { report: title })}
                  failed={<Alert type="warning" showIcon title={t('reports.chart.failed')} />}
                  onPick={(pick) => {
                    const measure = result.measures.find((m) => m.key === pick.cell.measure);
                    onPick({
                      cell: pick.cell,
                      what: spec.series.length > 1 ? `${pick.category} · ${pick.series}` : pick.category,
                      measure: measure ? pickLabel(measure.label, locale) : pick.series,
                      value: formatFigure(pick.value, pick.type, locale),
                    });
                  }}
                />
              </Card>
            )}
            <Card
              className="report-table-card"
              title={t('reports.table.title')}
              size="small"
              extra={
                <span className="text-muted report-generated">
                  {t('reports.generatedAt', { time: formatInstant(result.generatedAt, locale, { seconds: true }) })}
                </span>
              }
            >
              <ReportTable result={result} t={t} texts={texts} onPick={onPick} />
            </Card>
          </div>
        )
      )}
      <DrillDrawer
        pack={pack}
        reportKey={reportKey}
        formRef={definition.form}
        form={form}
        params={params}
        target={drill}
        onClose={() => setDrill(undefined)}
        onExport={(format, cell) => void exportFile('drill', format, cell)}
        exporting={exporting === 'drill'}
      />
    </div>
  );
}
