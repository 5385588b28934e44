import { defineFlow } from '@baton/pack';
import { customerServiceRecord } from '../forms/customer-service-record.form.ts';
import { l } from '../labels.ts';

// The director reviews with edit rights on every field the salesperson filled (P-62); serials stay generated
// and the opinion slot belongs to the node itself.
const editable = Object.fromEntries([
  ...customerServiceRecord.fields
    .filter((field) => field.type !== 'serial' && field.type !== 'opinion')
    .map((field) => [field.key, 'edit'] as const),
  ...customerServiceRecord.subtables.map((sub) => [sub.key, 'edit'] as const),
]);

/**
 * 客户服务记录审核: the salesperson files the record, the sales director of their team reviews it (the
 * salesDirector holder nearest to the salesperson's department: a department-scoped one above it, else the unit's,
 * else the head of sales).
 */
export const customerServiceReviewFlow = defineFlow({
  pack: 'crm',
  key: 'customerServiceReview',
  name: l('客户服务记录审核', 'Customer service record review'),
  category: 'crm',
  form: { pack: 'crm', key: 'customerServiceRecord' },
  nodes: [
    { key: 'start', kind: 'start', name: l('销售人员', 'Salesperson') },
    {
      key: 'directorReview',
      kind: 'approval',
      name: l('销售总监审核', 'Sales director review'),
      assignees: [{ source: 'role', role: 'salesDirector', scope: 'initiator' }],
      opinionField: 'opDirector',
      fieldAccess: editable,
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'directorReview' },
    { from: 'directorReview', to: 'end' },
  ],
});
