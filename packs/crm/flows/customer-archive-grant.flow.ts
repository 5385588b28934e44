import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 客户档案借阅: the applicant files, sales management or the archive administrator decides (the first to act
 * decides, 或签), with two business days to do so. The approver may shorten or extend the borrowing period.
 */
export const customerArchiveGrantFlow = defineFlow({
  pack: 'crm',
  key: 'customerArchiveGrant',
  name: l('客户档案借阅', 'Customer archive borrowing'),
  category: 'crm',
  form: { pack: 'crm', key: 'customerArchiveGrant' },
  nodes: [
    { key: 'start', kind: 'start', name: l('申请人', 'Applicant') },
    {
      key: 'salesAdmin',
      kind: 'approval',
      name: l('销售管理部审批', 'Sales management approval'),
      mode: 'anySign',
      assignees: [
        { source: 'role', role: 'salesAdmin', scope: 'all' },
        { source: 'role', role: 'archiveAdmin', scope: 'all' },
      ],
      opinionField: 'opSalesAdmin',
      fieldAccess: { grantFrom: 'edit', grantTo: 'edit', grantLevel: 'edit' },
      deadline: { after: { days: 2 }, remindBefore: { hours: 4 } },
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'salesAdmin' },
    { from: 'salesAdmin', to: 'end' },
  ],
});
