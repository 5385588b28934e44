import { defineForm } from '@baton/pack';
import { l } from '../labels.ts';
import { planStatuses } from '../purchase-labels.ts';

/**
 * F17 付款计划管理表: one per purchase contract, opened when the contract is archived (a rule on the archive's
 * `created`) and kept by finance. Its instalments are the contract's payable lines in the payment base table
 * (purchasePaymentLedger, same `contractNo`), one per row of F15's payment plan: each carries its planned, paid and
 * unpaid amount and is settled by purchase payments (F34). A rule adjusts records, not subtable rows, so the lines
 * live there and this header keeps the summary row (汇总表): planned, paid (each approved payment adds to it) and
 * unpaid.
 */
export const paymentPlan = defineForm({
  pack: 'contracts',
  key: 'paymentPlan',
  kind: 'archive',
  label: l('付款计划管理表', 'Payment plan'),
  fields: [
    { key: 'projectRef', label: l('所属项目', 'Project'), type: 'text' },
    {
      key: 'contractRef',
      label: l('合同编号', 'Contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'contractArchive' },
      display: 'contractNo',
      filter: "kind = 'purchase'",
      fill: { contractNo: 'contractNo' },
      required: true,
    },
    { key: 'contractNo', label: l('合同号', 'Contract no.'), type: 'text', maxLength: 60, required: true },
    { key: 'projectNo', label: l('项目编号', 'Project no.'), type: 'text' },
    {
      key: 'executionStatus',
      label: l('合同执行状态', 'Execution status'),
      type: 'select',
      options: planStatuses,
      default: 'inProgress',
    },
    { key: 'productType', label: l('产品类型', 'Product type'), type: 'text' },
    { key: 'contractType', label: l('合同类型', 'Contract type'), type: 'text', default: '采购合同' },
    { key: 'projectName', label: l('项目名称', 'Project name'), type: 'text' },
    { key: 'signingUnit', label: l('签订公司', 'Signing company'), type: 'unit' },
    { key: 'businessEntity', label: l('业务主体', 'Business entity'), type: 'text' },
    { key: 'signingDept', label: l('签订部门', 'Signing department'), type: 'department' },
    { key: 'signer', label: l('签订人', 'Signed by'), type: 'member' },
    { key: 'signDate', label: l('签订日期', 'Signing date'), type: 'date' },
    // (seed issue) 客户名称 on a purchase plan is the supplier.
    {
      key: 'counterpartyRef',
      label: l('供应商名称', 'Supplier'),
      type: 'reference',
      form: { pack: 'contracts', key: 'supplierArchive' },
      display: 'supplierName',
    },
    { key: 'contractTotal', label: l('合同总金额', 'Contract total'), type: 'money', min: 0 },
    { key: 'grossProfit', label: l('合同毛利额', 'Gross profit'), type: 'money' },
    {
      key: 'grossMargin',
      label: l('毛利率（%）', 'Gross margin (%)'),
      type: 'formula',
      expr: 'IF(contractTotal > 0, ROUND(grossProfit / contractTotal * 100, 2), 0)',
      resultType: 'number',
    },
    { key: 'plannedTotal', label: l('计划付款合计', 'Planned total'), type: 'money', min: 0, default: 0 },
    { key: 'paidTotal', label: l('实际付款合计', 'Paid total'), type: 'money', min: 0, default: 0 },
    {
      key: 'unpaidTotal',
      label: l('计划未付款合计', 'Unpaid total'),
      type: 'formula',
      expr: 'plannedTotal - paidTotal',
      resultType: 'money',
    },
  ],
  keys: [['contractNo']],
  layout: {
    sections: [
      {
        key: 'contract',
        title: l('合同', 'Contract'),
        rows: [
          [
            { field: 'contractRef', span: 8 },
            { field: 'executionStatus', span: 8 },
            { field: 'contractType', span: 8 },
          ],
          [
            { field: 'projectRef', span: 8 },
            { field: 'projectNo', span: 8 },
            { field: 'projectName', span: 8 },
          ],
          [
            { field: 'signingUnit', span: 8 },
            { field: 'businessEntity', span: 8 },
            { field: 'signingDept', span: 8 },
          ],
          [
            { field: 'signer', span: 8 },
            { field: 'signDate', span: 8 },
            { field: 'productType', span: 8 },
          ],
          [
            { field: 'counterpartyRef', span: 8 },
            { field: 'contractTotal', span: 8 },
            { field: 'grossProfit', span: 4 },
            { field: 'grossMargin', span: 4 },
          ],
        ],
      },
      {
        key: 'summary',
        title: l('汇总', 'Summary'),
        rows: [
          [
            { field: 'plannedTotal', span: 8 },
            { field: 'paidTotal', span: 8 },
            { field: 'unpaidTotal', span: 8 },
          ],
        ],
      },
    ],
  },
});
