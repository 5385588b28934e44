import { defineForm } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 预算台账 (P-53, P-74; Q360-1): one line per department and year. A purchase contract commits its total when it is
 * filed (and gives it back if withdrawn, rejected, returned or terminated); each payment moves its amount from
 * committed to paid; a payment of lines without a contract commits on filing in the same way. The remaining budget
 * is computed, so it always equals budget − committed − paid; the rules refuse what would take it below zero.
 */
export const budgetLedger = defineForm({
  pack: 'contracts',
  key: 'budgetLedger',
  kind: 'archive',
  label: l('预算台账', 'Budget ledger'),
  fields: [
    { key: 'year', label: l('预算年度', 'Year'), type: 'number', scale: 0, min: 2000, max: 2100, required: true },
    { key: 'department', label: l('预算部门', 'Department'), type: 'department', required: true },
    { key: 'lineName', label: l('预算科目', 'Budget line'), type: 'text', required: true },
    { key: 'budgetAmount', label: l('年度预算', 'Budget'), type: 'money', min: 0, required: true },
    { key: 'committedAmount', label: l('已占用（合同/在途）', 'Committed'), type: 'money', default: 0 },
    { key: 'paidAmount', label: l('已支付', 'Paid'), type: 'money', default: 0 },
    {
      key: 'remainingAmount',
      label: l('可用余额', 'Remaining'),
      type: 'formula',
      expr: 'budgetAmount - committedAmount - paidAmount',
      resultType: 'money',
    },
    {
      key: 'executionRate',
      label: l('执行率（%）', 'Execution rate (%)'),
      type: 'formula',
      expr: 'IF(budgetAmount > 0, ROUND((committedAmount + paidAmount) / budgetAmount * 100, 1), 0)',
      resultType: 'number',
    },
    { key: 'remark', label: l('备注', 'Remarks'), type: 'longtext' },
  ],
  keys: [['department', 'year']],
  layout: {
    sections: [
      {
        key: 'line',
        title: l('预算', 'Budget'),
        rows: [
          [
            { field: 'year', span: 6 },
            { field: 'department', span: 9 },
            { field: 'lineName', span: 9 },
          ],
          [
            { field: 'budgetAmount', span: 6 },
            { field: 'committedAmount', span: 6 },
            { field: 'paidAmount', span: 6 },
            { field: 'remainingAmount', span: 6 },
          ],
          [{ field: 'executionRate', span: 6 }],
          [{ field: 'remark' }],
        ],
      },
    ],
  },
});
