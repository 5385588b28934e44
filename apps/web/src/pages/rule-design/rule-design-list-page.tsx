import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Result, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { RuleRuns } from '../admin/rule-runs.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { type RuleSummary, ruleDesignApi } from './rule-design-api.ts';
import { triggerSummary } from './rule-model.ts';
import './rule-design.css';

const textOr = (t: Translate, key: string, fallback: string) =>
  (t(key as MessageKey) as string | undefined) ?? fallback;

/**
 * 业务规则: every rule's latest version (pack, key, what it listens to, its actions, enabled, version) with a switch
 * that publishes the same rule enabled or disabled as its next version; 新建规则 opens the editor.
 */
export function RuleDesignListPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  useDocumentTitle(t('ruleDesign.title'));
  const rules = useLoad(() => ruleDesignApi.list(), 'rule-design-list');
  const [switching, setSwitching] = useState<string | null>(null);
  const path = (r: RuleSummary) => `/admin/rules/${encodeURIComponent(r.pack)}/${encodeURIComponent(r.key)}`;

  const toggle = async (rule: RuleSummary, enabled: boolean) => {
    const id = `${rule.pack}.${rule.key}`;
    setSwitching(id);
    try {
      const latest = await ruleDesignApi.get(rule.pack, rule.key);
      const result = await ruleDesignApi.publish({ ...latest.definition, enabled });
      message.success(t(enabled ? 'ruleDesign.switchedOn' : 'ruleDesign.switchedOff', { version: result.version }));
      rules.reload();
    } catch (e) {
      message.error(describeApiError(e, t).detail ?? String(e));
    } finally {
      setSwitching(null);
    }
  };

  return (
    <>
      <PageHeader
        title={t('ruleDesign.title')}
        description={t('ruleDesign.description')}
        extra={
          <Flex gap={8}>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={rules.reload}>
              {t('records.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/admin/rules/new')}>
              {t('ruleDesign.new')}
            </Button>
          </Flex>
        }
      />
      {rules.error ? (
        <Result status="warning" title={describeApiError(rules.error, t).detail} />
      ) : (
        <Table
          rowKey={(r) => `${r.pack}.${r.key}`}
          loading={rules.loading}
          dataSource={rules.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          className="rule-design-list"
          onRow={(r) => ({ 'data-rule': `${r.pack}.${r.key}` }) as never}
          // Under each rule: its latest runs, with the request or record each ran for.
          expandable={{ expandedRowRender: (r) => <RuleRuns pack={r.pack} ruleKey={r.key} /> }}
          columns={[
            {
              key: 'name',
              title: t('ruleDesign.name'),
              render: (_, r) => <Link to={path(r)}>{pickLabel(r.name, locale)}</Link>,
            },
            { key: 'id', title: t('ruleDesign.key'), render: (_, r) => <code>{`${r.pack}.${r.key}`}</code> },
            {
              key: 'on',
              title: t('ruleDesign.trigger'),
              render: (_, r) => {
                const on = triggerSummary(r.on);
                return (
                  <span>
                    <Tag>{t(`ruleDesign.trigger.${on.kind}` as MessageKey)}</Tag>
                    <code>{on.ref}</code> {on.what}
                  </span>
                );
              },
            },
            {
              key: 'actions',
              title: t('ruleDesign.actions'),
              render: (_, r) =>
                r.actions.map((kind, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: one rule may repeat a kind
                  <Tag key={i}>{textOr(t, `ruleDesign.kind.${kind}`, kind)}</Tag>
                )),
            },
            {
              key: 'enabled',
              title: t('ruleDesign.enabled'),
              render: (_, r) => (
                <Switch
                  aria-label={t('ruleDesign.enableRule', { name: pickLabel(r.name, locale) })}
                  checked={r.enabled}
                  loading={switching === `${r.pack}.${r.key}`}
                  onChange={(on) => void toggle(r, on)}
                />
              ),
            },
            { key: 'v', title: t('ruleDesign.version'), render: (_, r) => `v${r.version}` },
            {
              key: 'edit',
              title: '',
              render: (_, r) => (
                <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => navigate(path(r))}>
                  {t('ruleDesign.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
