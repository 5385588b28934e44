import { defineForm } from '@baton/pack';
import { contractCategories, l, opt, productTypes, settlementMethods } from '../labels.ts';

export const executionStatuses = [
  opt('inProgress', '执行中', 'In progress'),
  opt('collected', '已收齐', 'Collected'),
  opt('closed', '已关闭', 'Closed'),
];

export const instalmentStatuses = [
  opt('open', '未收款', 'Open'),
  opt('partial', '部分收款', 'Partly received'),
  opt('received', '已收款', 'Received'),
  opt('cancelled', '已取消', 'Cancelled'),
];

/**
 * F14 收款计划管理表, header: one per sales contract, written when F12 is approved and kept by finance. Its
 * instalments (收款计划) are records of `collectionInstalment`, one per payment term: each has its own planned
 * date (a date rule reminds before it), its received amount and status, and receipts are recorded against it. The
 * received total here grows with every receipt. Overdue is a matter of the day, so reports compute it.
 */
export const collectionPlan = defineForm({
  pack: 'contracts',
  key: 'collectionPlan',
  kind: 'archive',
  label: l('收款计划管理表', 'Collection plan'),
  fields: [
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', required: true, maxLength: 60 },
    // Set when the archive record is written (rule linkPlanToArchive): the drill-through to the contract.
    {
      key: 'contractRef',
      label: l('合同信息', 'Contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'contractArchive' },
      display: 'contractName',
    },
    {
      key: 'salesContract',
      label: l('合同审批单', 'Contract approval'),
      type: 'reference',
      form: { pack: 'contracts', key: 'salesContract' },
      display: 'contractNo',
    },
    { key: 'projectNo', label: l('项目编号', 'Project no.'), type: 'text' },
    { key: 'projectName', label: l('项目名称', 'Project name'), type: 'text' },
    {
      key: 'executionStatus',
      label: l('合同执行状态', 'Execution status'),
      type: 'select',
      options: executionStatuses,
      default: 'inProgress',
    },
    { key: 'productType', label: l('产品类型', 'Product type'), type: 'select', options: productTypes },
    { key: 'contractType', label: l('合同类型', 'Contract type'), type: 'select', options: contractCategories },
    { key: 'signingUnit', label: l('签订公司', 'Signing company'), type: 'unit' },
    { key: 'businessEntity', label: l('业务主体', 'Business entity'), type: 'text' },
    { key: 'signingDept', label: l('签订部门', 'Signing department'), type: 'department' },
    { key: 'signer', label: l('签订人', 'Signed by'), type: 'member' },
    { key: 'signDate', label: l('签订日期', 'Signing date'), type: 'date' },
    { key: 'customerName', label: l('客户名称', 'Customer'), type: 'text', required: true, maxLength: 200 },
    { key: 'contractTotal', label: l('合同总金额', 'Contract total'), type: 'money', min: 0 },
    { key: 'grossProfit', label: l('合同毛利额', 'Gross profit'), type: 'money' },
    {
      key: 'grossMargin',
      label: l('毛利率（%）', 'Gross margin (%)'),
      type: 'formula',
      expr: 'IF(contractTotal > 0, ROUND(grossProfit / contractTotal * 100, 2), NULL)',
      resultType: 'number',
    },
    { key: 'collector', label: l('收款财务', 'Finance contact'), type: 'member' },
    { key: 'plannedTotal', label: l('计划回款合计', 'Planned total'), type: 'money', min: 0 },
    { key: 'receivedTotal', label: l('实际回款合计', 'Received total'), type: 'money', min: 0, default: 0 },
    {
      key: 'outstandingTotal',
      label: l('未回款合计', 'Outstanding total'),
      type: 'formula',
      expr: 'plannedTotal - receivedTotal',
      resultType: 'money',
    },
  ],
  keys: [['contractNo']],
});

/**
 * F14 收款计划, one line (回款期数) of a contract's plan. `title` names it in the receipt picker.
 * The received amount may not pass the planned amount (receipts are refused before, this holds for edits too).
 */
export const collectionInstalment = defineForm({
  pack: 'contracts',
  key: 'collectionInstalment',
  kind: 'archive',
  label: l('收款计划明细', 'Collection instalment'),
  fields: [
    { key: 'title', label: l('收款期次', 'Instalment'), type: 'text', maxLength: 300 },
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', required: true, maxLength: 60 },
    { key: 'contractName', label: l('合同名称', 'Contract name'), type: 'text' },
    { key: 'customerName', label: l('客户名称', 'Customer'), type: 'text' },
    {
      key: 'salesContract',
      label: l('合同审批单', 'Contract approval'),
      type: 'reference',
      form: { pack: 'contracts', key: 'salesContract' },
      display: 'contractNo',
    },
    { key: 'period', label: l('回款期数', 'Instalment no.'), type: 'number', scale: 0, min: 1, required: true },
    { key: 'milestone', label: l('付款节点', 'Milestone'), type: 'text' },
    { key: 'plannedDate', label: l('计划回款日期', 'Planned date'), type: 'date', required: true },
    { key: 'method', label: l('回款方式', 'Method'), type: 'select', options: settlementMethods },
    { key: 'plannedAmount', label: l('计划回款金额', 'Planned amount'), type: 'money', required: true, min: 0 },
    {
      key: 'receivedAmount',
      label: l('实际回款金额', 'Received amount'),
      type: 'money',
      min: 0,
      default: 0,
      validation: {
        expr: 'receivedAmount <= plannedAmount',
        message: l('实际回款金额不能超过计划回款金额', 'The received amount cannot exceed the planned amount'),
      },
    },
    {
      key: 'outstanding',
      label: l('计划未回款金额', 'Outstanding'),
      type: 'formula',
      expr: 'plannedAmount - receivedAmount',
      resultType: 'money',
    },
    { key: 'condition', label: l('回款条件', 'Condition'), type: 'text', maxLength: 1000 },
    {
      key: 'status',
      label: l('收款状态', 'Status'),
      type: 'select',
      options: instalmentStatuses,
      required: true,
      default: 'open',
    },
    { key: 'lastReceivedDate', label: l('最近回款日期', 'Last received on'), type: 'date' },
    // Who hears the reminders: the salesperson who answers for the contract and the finance contact.
    { key: 'salesperson', label: l('销售负责人', 'Salesperson'), type: 'member' },
    { key: 'collector', label: l('收款财务', 'Finance contact'), type: 'member' },
  ],
  keys: [['contractNo', 'period']],
});
