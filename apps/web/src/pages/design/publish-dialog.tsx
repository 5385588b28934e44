import { Alert, Modal, Table, Tag } from 'antd';
import { type MessageKey, useT } from '../../i18n/index.ts';
import type { PlanAction, PlanStep, PublishPlan } from './design-api.ts';

const actionKeys: Readonly<Record<PlanAction, MessageKey>> = {
  createTable: 'design.plan.createTable',
  add: 'design.plan.add',
  keep: 'design.plan.keep',
  hidden: 'design.plan.hidden',
  convert: 'design.plan.convert',
  refused: 'design.plan.refused',
};
const actionColors: Readonly<Record<PlanAction, string>> = {
  createTable: 'blue',
  add: 'green',
  keep: 'default',
  hidden: 'orange',
  convert: 'gold',
  refused: 'red',
};
const order: readonly PlanAction[] = ['createTable', 'add', 'convert', 'refused', 'hidden', 'keep'];

export function planCounts(plan: PublishPlan): Array<[PlanAction, number]> {
  return order
    .map((action): [PlanAction, number] => [action, plan.steps.filter((step) => step.action === action).length])
    .filter(([, count]) => count > 0);
}

/**
 * The migration publishing will run, for confirmation: tables created, columns added, kept (renames named),
 * hidden (a removed field's data stays), converted, or refused with the rows whose values do not convert.
 */
export function PublishDialog({
  plan,
  name,
  publishing,
  onConfirm,
  onCancel,
}: {
  plan: PublishPlan | undefined;
  name: string;
  publishing: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const refused = plan?.steps.some((step) => step.action === 'refused') ?? false;
  const steps = [...(plan?.steps ?? [])].sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  return (
    <Modal
      open={plan !== undefined}
      title={t('design.plan.title', { name, version: plan?.version ?? 0 })}
      okText={t('design.plan.confirm')}
      cancelText={t('common.cancel')}
      onOk={onConfirm}
      onCancel={onCancel}
      okButtonProps={{ disabled: refused || plan?.unchanged === true, loading: publishing }}
      width={760}
      className="designer-plan"
      destroyOnHidden
    >
      {plan?.unchanged ? (
        <Alert type="info" showIcon title={t('design.plan.unchanged', { version: plan.version })} />
      ) : (
        <>
          <p className="designer-plan-summary" data-testid="plan-summary">
            {planCounts(plan ?? ({ steps: [] } as unknown as PublishPlan)).map(([action, count]) => (
              <Tag key={action} color={actionColors[action]} data-action={action} data-count={count}>
                {t(actionKeys[action])} {count}
              </Tag>
            ))}
          </p>
          {refused && (
            <Alert type="error" showIcon title={t('design.plan.refusedNote')} className="designer-plan-alert" />
          )}
          {steps.some((step) => step.action === 'hidden') && (
            <Alert type="warning" showIcon title={t('design.plan.hiddenNote')} className="designer-plan-alert" />
          )}
          <Table<PlanStep>
            size="small"
            rowKey={(step) => `${step.action}:${step.table}:${step.path}`}
            pagination={false}
            dataSource={steps}
            scroll={{ y: 360 }}
            onRow={(step) => ({ 'data-step': step.action, 'data-path': step.path }) as never}
            columns={[
              {
                key: 'action',
                title: t('design.plan.action'),
                width: 110,
                render: (_, step) => <Tag color={actionColors[step.action]}>{t(actionKeys[step.action])}</Tag>,
              },
              { key: 'path', title: t('design.plan.path'), dataIndex: 'path' },
              {
                key: 'column',
                title: t('design.plan.column'),
                render: (_, step) => (
                  <code>
                    {step.table}
                    {step.column ? `.${step.column}` : ''}
                  </code>
                ),
              },
              {
                key: 'detail',
                title: t('design.plan.detail'),
                render: (_, step) => (
                  <>
                    {step.renamedFrom && <div>{t('design.plan.renamedFrom', { key: step.renamedFrom })}</div>}
                    {step.from && step.to && <div>{t('design.plan.typeChange', { from: step.from, to: step.to })}</div>}
                    {step.rows && step.rows.length > 0 && (
                      <div className="designer-plan-rows">{t('design.plan.rows', { rows: step.rows.join(', ') })}</div>
                    )}
                  </>
                ),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
