import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 评价写入供应商档案 (P-50, §2.7 step 6): an approved evaluation adds its score to the supplier (count, total,
 * latest; the average follows), each change linked to the evaluation; with completion confirmed and re-checked the
 * contract becomes completed, which gives back its unpaid budget (releaseContractBudget).
 */
export const recordSupplierEvaluation = defineRule({
  pack: 'contracts',
  key: 'recordSupplierEvaluation',
  name: l('供应商评价写入供应商档案', 'An evaluation is written to the supplier archive'),
  on: { flow: 'contracts.supplierEvaluation', events: ['approved'] },
  actions: [
    {
      kind: 'adjust',
      form: 'contracts.supplierArchive',
      match: { id: 'supplierRef' },
      field: 'evaluationCount',
      by: '1',
      changeLog: true,
    },
    {
      kind: 'adjust',
      form: 'contracts.supplierArchive',
      match: { id: 'supplierRef' },
      field: 'scoreTotal',
      by: 'totalScore',
      changeLog: true,
    },
    {
      kind: 'writeBack',
      form: 'contracts.supplierArchive',
      mode: 'update',
      match: { id: 'supplierRef' },
      set: { lastScore: 'totalScore', lastEvaluatedOn: 'evaluatedOn' },
      changeLog: true,
    },
    {
      kind: 'writeBack',
      when: 'contractCompleted = TRUE',
      form: 'contracts.contractArchive',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      set: { contractStatus: "'completed'" },
      changeLog: true,
    },
  ],
});
