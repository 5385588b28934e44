import { EVERYONE_ROLE_CODE, ensureSystemRoles, grantPermissions } from '@baton/access';
import type { DbCtx } from '@baton/db';
import { type FlowDefinitionInput, publishFlow } from '@baton/flow';
import { type FormDefinitionInput, publishForm } from '@baton/form';
import { flowStartPermission } from '@baton/server';

// A flow a newcomer can file on the first `baton start` with the demo organisation: 请假申请 (leave request),
// start → the initiator's department head → the HR director → end. A stopgap until packs (kernel/pack,
// packs/) install business apps; it publishes through the same engine operations a pack would use.

const l = (zh: string, en: string) => ({ zh, en });

export const DEMO_PACK = 'demo';

export const demoLeaveForm: FormDefinitionInput = {
  pack: DEMO_PACK,
  key: 'leave',
  kind: 'flow',
  label: l('请假申请', 'Leave request'),
  fields: [
    {
      key: 'leaveType',
      label: l('请假类型', 'Leave type'),
      type: 'select',
      required: true,
      default: 'annual',
      options: [
        { code: 'annual', label: l('年假', 'Annual leave') },
        { code: 'sick', label: l('病假', 'Sick leave') },
        { code: 'personal', label: l('事假', 'Personal leave') },
        { code: 'compensatory', label: l('调休', 'Time off in lieu') },
        { code: 'marriage', label: l('婚假', 'Marriage leave') },
        { code: 'maternity', label: l('产假', 'Maternity leave') },
      ],
    },
    { key: 'startDate', label: l('开始日期', 'Start date'), type: 'date', required: true },
    {
      key: 'endDate',
      label: l('结束日期', 'End date'),
      type: 'date',
      required: true,
      validation: { expr: 'endDate >= startDate', message: l('结束日期不能早于开始日期', 'Ends before it starts') },
    },
    {
      key: 'days',
      label: l('请假天数', 'Days'),
      type: 'number',
      required: true,
      scale: 1,
      min: 0.5,
      max: 365,
      unit: '天',
    },
    { key: 'reason', label: l('请假事由', 'Reason'), type: 'longtext', required: true },
  ],
  layout: {
    sections: [
      {
        key: 'leave',
        title: l('请假信息', 'Leave'),
        rows: [
          [
            { field: 'leaveType', span: 8 },
            { field: 'startDate', span: 8 },
            { field: 'endDate', span: 8 },
          ],
          [{ field: 'days', span: 8 }],
          [{ field: 'reason', span: 24 }],
        ],
      },
    ],
  },
};

export const demoLeaveFlow: FlowDefinitionInput = {
  pack: DEMO_PACK,
  key: 'leave',
  name: l('请假申请', 'Leave request'),
  category: 'hr',
  form: { pack: DEMO_PACK, key: 'leave' },
  nodes: [
    { key: 'start', kind: 'start', name: l('发起', 'File') },
    {
      key: 'head',
      kind: 'approval',
      name: l('部门主管审批', 'Department head'),
      assignees: [{ source: 'relative', relation: 'head' }],
      // A head filing for themselves has no head above them in some units: the step passes rather than strands.
      emptyPolicy: 'autoPass',
      deadline: { after: { days: 2 } },
    },
    {
      key: 'hr',
      kind: 'approval',
      name: l('人事审批', 'HR director'),
      assignees: [{ source: 'role', role: 'hrDirector', scope: 'all' }],
      // The HR director's own staff: their head already approved as HR director.
      dedupe: 'previous',
      emptyPolicy: 'autoPass',
    },
    { key: 'end', kind: 'end', name: l('结束', 'End') },
  ],
  edges: [
    { from: 'start', to: 'head' },
    { from: 'head', to: 'hr' },
    { from: 'hr', to: 'end' },
  ],
};

export type DemoFlowsReport = { flows: string[] };

/**
 * Publishes the demo forms and flows and lets every active member file them: each flow's start permission is
 * granted to the platform's implicit role `everyone`, so members who join later may file them too.
 * Idempotent: an identical definition is not republished and a held permission is not granted twice.
 */
export async function loadDemoFlows(ctx: DbCtx): Promise<DemoFlowsReport> {
  await publishForm(ctx, demoLeaveForm);
  await publishFlow(ctx, demoLeaveFlow);
  await ensureSystemRoles(ctx);
  await grantPermissions(ctx, {
    role: EVERYONE_ROLE_CODE,
    permissions: [flowStartPermission(demoLeaveFlow.pack, demoLeaveFlow.key)],
  });
  return { flows: [`${demoLeaveFlow.pack}.${demoLeaveFlow.key}`] };
}
