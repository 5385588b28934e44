import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 回款登记确认: a finance clerk records money received, the head of the clerk's department checks it against the
 * bank statement (four eyes on money); only then does it count on the plan (rule receiptApplied).
 */
export const collectionReceiptFlow = defineFlow({
  pack: 'contracts',
  key: 'collectionReceipt',
  name: l('回款登记', 'Collection receipt'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'collectionReceipt' },
  nodes: [
    { key: 'start', kind: 'start', name: l('财务人员', 'Finance clerk') },
    {
      key: 'review',
      kind: 'approval',
      name: l('财务复核', 'Finance review'),
      assignees: [{ source: 'relative', relation: 'head' }],
      opinionField: 'opReview',
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'review' },
    { from: 'review', to: 'end' },
  ],
});
