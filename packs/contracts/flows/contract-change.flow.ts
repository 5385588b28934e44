import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

// Legal fills the delivery and filing record (合同送达归档记录, P-41) and may correct the handler's notes.
const filingRecord = {
  effectiveDate: 'edit',
  deliveredDate: 'edit',
  archivedDate: 'edit',
  finalFile: 'edit',
  revisionNotes: 'edit',
} as const;

/**
 * 合同变更审批 (F13 / F16), reviewed like the original contract: the head of the handling department first, then
 * legal beside the director of the contract's side — the sales director for a sales contract, the purchasing
 * director for a purchase contract (the kind is filled from the archive, so the filer cannot pick the route).
 */
export const contractChangeFlow = defineFlow({
  pack: 'contracts',
  key: 'contractChange',
  name: l('合同变更审批', 'Contract change approval'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'contractChange' },
  nodes: [
    { key: 'start', kind: 'start', name: l('经办人', 'Handler') },
    {
      key: 'handlerDept',
      kind: 'approval',
      name: l('经办部门负责人', 'Head of the handling department'),
      assignees: [{ source: 'relative', relation: 'head' }],
      opinionField: 'opHandlerDept',
      initiatorAutoPass: true,
    },
    { key: 'review', kind: 'parallel', name: l('会审', 'Joint review') },
    {
      key: 'legal',
      kind: 'approval',
      name: l('法务审核', 'Legal review'),
      mode: 'anySign',
      assignees: [{ source: 'role', role: 'legalStaff', scope: 'all' }],
      opinionField: 'opLegal',
      fieldAccess: filingRecord,
    },
    { key: 'side', kind: 'condition', name: l('合同类型', 'Contract type') },
    {
      key: 'salesDirector',
      kind: 'approval',
      name: l('销售总监审批', 'Sales director approval'),
      assignees: [{ source: 'role', role: 'salesDirector', scope: 'initiator' }],
      opinionField: 'opSalesDirector',
    },
    {
      key: 'purchasingDirector',
      kind: 'approval',
      name: l('采购总监审批', 'Purchasing director approval'),
      assignees: [{ source: 'role', role: 'purchasingDirector', scope: 'all' }],
      opinionField: 'opPurchasingDirector',
    },
    { key: 'reviewed', kind: 'join' },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'handlerDept' },
    { from: 'handlerDept', to: 'review' },
    { from: 'review', to: 'legal' },
    { from: 'review', to: 'side' },
    { from: 'side', to: 'purchasingDirector', condition: "contractKind = 'purchase'" },
    { from: 'side', to: 'salesDirector', else: true },
    { from: 'legal', to: 'reviewed' },
    { from: 'salesDirector', to: 'reviewed' },
    { from: 'purchasingDirector', to: 'reviewed' },
    { from: 'reviewed', to: 'end' },
  ],
});
