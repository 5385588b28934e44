import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

/** 供应商服务评价: the contract owner scores the supplier; the purchasing director re-checks (合同执行完毕复核). */
export const supplierEvaluationFlow = defineFlow({
  pack: 'contracts',
  key: 'supplierEvaluation',
  name: l('供应商服务评价', 'Supplier service evaluation'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'supplierEvaluation' },
  nodes: [
    { key: 'start', kind: 'start', name: l('合同负责人', 'Contract owner') },
    {
      key: 'completionReview',
      kind: 'approval',
      name: l('采购总监复核', 'Purchasing director re-check'),
      assignees: [{ source: 'role', role: 'purchasingDirector', scope: 'all' }],
      opinionField: 'completionReview',
      fieldAccess: { completionReviewer: 'required', contractCompleted: 'edit' },
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'completionReview' },
    { from: 'completionReview', to: 'end' },
  ],
});
