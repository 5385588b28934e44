import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 销售合同审批 (F12): legal and the sales director review side by side (P-32, parallel); the contract takes
 * effect when both approve. Either may return it to the salesperson for rework (退回), who resubmits; a rejection
 * ends the request. Legal: any holder of legalStaff decides (或签); the sales director is the holder of
 * salesDirector nearest the salesperson's department.
 */
export const salesContractFlow = defineFlow({
  pack: 'contracts',
  key: 'salesContract',
  name: l('销售合同审批', 'Sales contract approval'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'salesContract' },
  nodes: [
    { key: 'start', kind: 'start', name: l('销售人员', 'Salesperson') },
    { key: 'review', kind: 'parallel', name: l('会审', 'Joint review') },
    {
      key: 'legal',
      kind: 'approval',
      name: l('法务审核', 'Legal review'),
      mode: 'anySign',
      assignees: [{ source: 'role', role: 'legalStaff', scope: 'all' }],
      opinionField: 'opLegal',
      deadline: { after: { days: 2 }, remindBefore: { hours: 4 } },
    },
    {
      key: 'salesDirector',
      kind: 'approval',
      name: l('销售总监审批', 'Sales director approval'),
      assignees: [{ source: 'role', role: 'salesDirector', scope: 'initiator' }],
      opinionField: 'opSalesDirector',
      deadline: { after: { days: 2 }, remindBefore: { hours: 4 } },
    },
    { key: 'reviewed', kind: 'join' },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'review' },
    { from: 'review', to: 'legal' },
    { from: 'review', to: 'salesDirector' },
    { from: 'legal', to: 'reviewed' },
    { from: 'salesDirector', to: 'reviewed' },
    { from: 'reviewed', to: 'end' },
  ],
});
