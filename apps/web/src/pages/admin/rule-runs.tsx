import { Result, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { adminApi, type RuleRun } from '../../api/admin.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { useLoad } from '../records/use-form-definition.ts';

/**
 * A rule's latest runs (every version), newest first: when, which version, on what event, the request or record it
 * ran for, what it did, and whether a withdrawal or voiding compensated it. Shown under a rule in the rules list.
 */
export function RuleRuns({ pack, ruleKey }: { pack: string; ruleKey: string }) {
  const t = useT();
  const locale = useLocale();
  const runs = useLoad(() => adminApi.ruleRuns(pack, ruleKey, 20), `${pack}.${ruleKey}`);
  if (runs.error) return <Result status="warning" title={describeApiError(runs.error, t).detail} />;
  // The rule editor names every action kind; an effect carries the kind of the action that made it.
  const effectLabel = (kind: string) => (t(`ruleDesign.kind.${kind}` as MessageKey) as string | undefined) ?? kind;
  return (
    <Table<RuleRun>
      size="small"
      rowKey="id"
      className="rule-runs"
      loading={runs.loading}
      dataSource={runs.data ?? []}
      pagination={false}
      scroll={{ x: 720 }}
      locale={{ emptyText: t('ruleRuns.empty') }}
      title={() => <strong>{t('ruleRuns.title')}</strong>}
      columns={[
        {
          key: 'at',
          title: t('ruleRuns.appliedAt'),
          width: 170,
          render: (_, run) => (
            <time dateTime={run.appliedAt}>{formatInstant(run.appliedAt, locale, { seconds: true })}</time>
          ),
        },
        { key: 'v', title: t('ruleRuns.version'), width: 70, render: (_, run) => `v${run.version}` },
        { key: 'event', title: t('ruleRuns.event'), render: (_, run) => <code>{run.eventType}</code> },
        {
          key: 'subject',
          title: t('ruleRuns.subject'),
          render: (_, run) =>
            run.instanceId ? (
              <Link to={`/work/instances/${encodeURIComponent(run.instanceId)}`}>{t('ruleRuns.openRequest')}</Link>
            ) : (
              <Link
                to={`/records/${encodeURIComponent(run.record.pack)}/${encodeURIComponent(run.record.key)}/${encodeURIComponent(run.record.id)}`}
              >
                {t('ruleRuns.openRecord')}
              </Link>
            ),
        },
        {
          key: 'effects',
          title: t('ruleRuns.effects'),
          render: (_, run) =>
            run.effects.length === 0 ? (
              <span className="text-muted">{t('ruleRuns.noEffect')}</span>
            ) : (
              run.effects.map((effect, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: effects are an ordered log
                <Tag key={index}>{effectLabel(String(effect.kind ?? '?'))}</Tag>
              ))
            ),
        },
        {
          key: 'state',
          title: t('ruleRuns.state'),
          render: (_, run) =>
            run.state === 'compensated' ? (
              <Tag color="orange" data-state="compensated">
                {t('ruleRuns.compensated')}
              </Tag>
            ) : (
              <Tag color="green" data-state="applied">
                {t('ruleRuns.applied')}
              </Tag>
            ),
        },
      ]}
    />
  );
}
