import { defineForm } from '@baton/pack';
import { l, settlementMethods } from '../labels.ts';
import { contractNoPrefixes, currencies, sealTypes } from '../purchase-labels.ts';

/** Thresholds of the review chain (implied; the catalog names the levels, not the amounts), in yuan. */
export const LEADERSHIP_FROM_YUAN = 100_000;
export const GM_OFFICE_FROM_YUAN = 500_000;

/**
 * F15 采购合同审批单: the buyer files a purchase contract for a requesting department; its payment plan is a
 * subtable whose ratios must add up to 100 % (P-20); it names the department's budget line, whose remaining balance
 * it shows (P-53). Approval writes the contract archive (kind purchase), the payment plan (F17) and one payable
 * line per instalment (F35), which purchase payments (F34) then settle.
 */
export const purchaseContract = defineForm({
  pack: 'contracts',
  key: 'purchaseContract',
  kind: 'flow',
  label: l('采购合同审批单', 'Purchase contract approval'),
  fields: [
    {
      key: 'docNo',
      label: l('单据号', 'Document no.'),
      type: 'serial',
      pattern: 'CGHT-{yyyy}{MM}-{seq:4}',
      reset: 'monthly',
    },
    {
      key: 'applyDate',
      label: l('申请日期', 'Application date'),
      type: 'date',
      required: true,
      default: { from: 'today' },
    },
    {
      key: 'supplierRef',
      label: l('合同方名称（全称）', 'Counterparty (full legal name)'),
      type: 'reference',
      form: { pack: 'contracts', key: 'supplierArchive' },
      display: 'supplierName',
      fill: { supplierName: 'supplierName', supplierCode: 'supplierNo' },
      required: true,
    },
    { key: 'supplierName', label: l('供应商名称', 'Supplier name'), type: 'text' },
    { key: 'supplierCode', label: l('供应商编码', 'Supplier code'), type: 'text' },
    { key: 'productName', label: l('产品名称', 'Product'), type: 'text', required: true },
    {
      key: 'contractTotal',
      label: l('合同总金额', 'Contract total'),
      type: 'money',
      required: true,
      validation: {
        expr: 'contractTotal > 0',
        message: l('合同总金额必须大于零', 'The contract total must be positive'),
      },
    },
    {
      key: 'contractTotalUpper',
      label: l('合同总金额（大写）', 'Total in words'),
      type: 'moneyUpper',
      of: 'contractTotal',
    },
    {
      key: 'currencyUnit',
      label: l('金额单位（币种）', 'Currency'),
      type: 'select',
      options: currencies,
      default: 'CNY',
      required: true,
    },
    {
      key: 'contractNoPrefix',
      label: l('公司统一合同号前缀', 'Contract-number prefix'),
      type: 'select',
      options: contractNoPrefixes,
      required: true,
    },
    {
      key: 'projectNo',
      label: l('项目编号（3 位）', 'Project no. (3 digits)'),
      type: 'text',
      maxLength: 3,
      required: true,
      validation: { expr: 'LEN(projectNo) = 3', message: l('项目编号为 3 位', 'The project number has 3 characters') },
    },
    {
      key: 'projectName',
      label: l('合同项目名称（对 3 位项目编号的描述）', 'Contract project name'),
      type: 'text',
      required: true,
    },
    {
      key: 'salesContractRef',
      label: l('对应销售合同', 'Matching sales contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'contractArchive' },
      display: 'contractNo',
      filter: "kind = 'sales'",
    },
    { key: 'salesContractText', label: l('对应销售合同内容', 'Matching sales contract (text)'), type: 'longtext' },
    { key: 'expectedNetMargin', label: l('产品销售预计净利率', 'Expected net margin'), type: 'percent' },
    // (implied) the service term, carried into the archive for expiry reminders and reports.
    { key: 'termStart', label: l('服务期限（起）', 'Service term from'), type: 'date' },
    {
      key: 'termEnd',
      label: l('服务期限（止）', 'Service term until'),
      type: 'date',
      validation: {
        expr: 'ISBLANK(termEnd) OR ISBLANK(termStart) OR termEnd >= termStart',
        message: l('服务期限的结束日期不能早于开始日期', 'The term cannot end before it starts'),
      },
    },
    { key: 'paymentPlanText', label: l('付款计划说明', 'Payment plan notes'), type: 'longtext' },
    {
      key: 'paymentRatioTotal',
      label: l('付款比例合计（%）', 'Payment ratio total (%)'),
      type: 'formula',
      expr: 'SUM(paymentPlanItems.ratio)',
      resultType: 'number',
      validation: {
        expr: 'paymentRatioTotal = 100',
        message: l('付款比例合计必须为 100%', 'The payment ratios must add up to 100 %'),
      },
    },
    { key: 'sealTypes', label: l('印章类别', 'Seal types'), type: 'checkboxes', options: sealTypes },
    {
      key: 'applicantDept',
      label: l('申请部门', 'Requesting department'),
      type: 'department',
      required: true,
      default: { from: 'department' },
    },
    // The head of the requesting department approves at the node `deptHead` (its head, from the org); this slot
    // names them on the printed form when the handler wants it filled in.
    { key: 'deptHead', label: l('负责人', 'Department head'), type: 'member' },
    {
      key: 'budgetRef',
      label: l('预算科目', 'Budget line'),
      type: 'reference',
      form: { pack: 'contracts', key: 'budgetLedger' },
      display: 'lineName',
      filter: 'department = this.applicantDept',
      fill: { budgetRemaining: 'remainingAmount' },
      required: true,
    },
    { key: 'budgetRemaining', label: l('预算可用余额', 'Budget remaining'), type: 'money' },
    {
      key: 'handlerConfirm',
      label: l('合同信息确认无误且与审批单一致', 'The contract matches this form'),
      type: 'boolean',
      required: true,
      validation: {
        expr: 'handlerConfirm = TRUE',
        message: l('经办人须确认合同信息与审批单一致', 'The handler must confirm the contract matches this form'),
      },
    },
    { key: 'handler', label: l('经办人', 'Handler'), type: 'member', required: true, default: { from: 'member' } },
    {
      key: 'opDept2ndManager',
      label: l('申请部门二级经理', "Requesting department's 2nd-level manager"),
      type: 'opinion',
      node: 'dept2ndManager',
      preset: '同意',
    },
    {
      key: 'opDeptHead',
      label: l('申请部门负责人', 'Requesting department head'),
      type: 'opinion',
      node: 'deptHead',
      preset: '我已复核该合同，同意。',
    },
    { key: 'opLegal', label: l('法律事务部', 'Legal affairs'), type: 'opinion', node: 'legal', preset: '同意。' },
    { key: 'opFinance', label: l('财务部', 'Finance'), type: 'opinion', node: 'finance', preset: '同意。' },
    {
      key: 'opLeadership',
      label: l('公司领导', 'Company leadership'),
      type: 'opinion',
      node: 'leadership',
      preset: '同意。',
    },
    { key: 'opGmOffice', label: l('总经理办公室', "General manager's office"), type: 'opinion', node: 'gmOffice' },
    // 合同执行确认 (P-41): filled by the handler after the review, before the contract is archived.
    { key: 'effectiveDate1', label: l('合同生效日期1', 'Effective date 1'), type: 'date' },
    { key: 'effectiveDate2', label: l('合同生效日期2', 'Effective date 2'), type: 'date' },
    // 公司统一合同号 = prefix + project no. + sequence, counted per prefix and project each year (P-15).
    {
      key: 'unifiedContractNo',
      label: l('公司统一合同号', 'Company-wide contract no.'),
      type: 'serial',
      pattern: '{field:contractNoPrefix}-{field:projectNo}-{yyyy}{seq:4}',
      reset: 'yearly',
    },
    // 合同执行完毕确认: the owner confirms completion and a reviewer re-checks it on the supplier evaluation
    // (supplierEvaluation), filed after the service; this names the owner from the start.
    { key: 'completionOwner', label: l('合同负责人', 'Contract owner'), type: 'member', default: { from: 'member' } },
    { key: 'remark', label: l('备注', 'Remarks'), type: 'longtext' },
  ],
  subtables: [
    {
      key: 'paymentPlanItems',
      label: l('付款计划', 'Payment plan'),
      minRows: 1,
      maxRows: 60,
      columns: [
        { key: 'seq', label: l('期数', 'Instalment'), type: 'formula', expr: '$row', resultType: 'number' },
        {
          key: 'ratio',
          label: l('付款比例（%）', 'Ratio (%)'),
          type: 'percent',
          required: true,
          validation: {
            expr: 'ratio > 0 AND ratio <= 100',
            message: l('比例须在 0 到 100 之间', 'A ratio is between 0 and 100'),
          },
        },
        {
          key: 'amount',
          label: l('付款金额', 'Amount'),
          type: 'formula',
          expr: 'contractTotal * ratio / 100',
          resultType: 'money',
        },
        { key: 'plannedDate', label: l('计划付款日期', 'Planned date'), type: 'date', required: true },
        {
          key: 'method',
          label: l('付款方式', 'Method'),
          type: 'select',
          options: settlementMethods,
          default: 'transfer',
        },
        { key: 'condition', label: l('付款条件', 'Condition'), type: 'text' },
      ],
      totals: ['amount'],
    },
  ],
  layout: {
    sections: [
      {
        key: 'contract',
        title: l('采购合同审批单', 'Purchase contract'),
        rows: [
          [
            { field: 'docNo', span: 8 },
            { field: 'applyDate', span: 8 },
            { field: 'unifiedContractNo', span: 8 },
          ],
          [
            { field: 'supplierRef', span: 16 },
            { field: 'supplierCode', span: 8 },
          ],
          [
            { field: 'productName', span: 12 },
            { field: 'currencyUnit', span: 4 },
            { field: 'contractTotal', span: 8 },
          ],
          [{ field: 'contractTotalUpper' }],
          [
            { field: 'contractNoPrefix', span: 8 },
            { field: 'projectNo', span: 4 },
            { field: 'projectName', span: 12 },
          ],
          [
            { field: 'salesContractRef', span: 12 },
            { field: 'expectedNetMargin', span: 12 },
          ],
          [{ field: 'salesContractText' }],
          [
            { field: 'termStart', span: 12 },
            { field: 'termEnd', span: 12 },
          ],
        ],
      },
      {
        key: 'plan',
        title: l('付款计划', 'Payment plan'),
        rows: [
          [{ field: 'paymentPlanItems' }],
          [{ field: 'paymentRatioTotal', span: 8 }],
          [{ field: 'paymentPlanText' }],
        ],
      },
      {
        key: 'request',
        title: l('申请信息', 'Request'),
        rows: [
          [
            { field: 'applicantDept', span: 8 },
            { field: 'deptHead', span: 8 },
            { field: 'sealTypes', span: 8 },
          ],
          [
            { field: 'budgetRef', span: 12 },
            { field: 'budgetRemaining', span: 12 },
          ],
          [
            { field: 'handlerConfirm', span: 16 },
            { field: 'handler', span: 8 },
          ],
        ],
      },
      {
        key: 'opinions',
        title: l('审批意见', 'Opinions'),
        rows: [
          [{ field: 'opDept2ndManager' }],
          [{ field: 'opDeptHead' }],
          [{ field: 'opLegal' }],
          [{ field: 'opFinance' }],
          [{ field: 'opLeadership' }],
          [{ field: 'opGmOffice' }],
        ],
      },
      {
        key: 'execution',
        title: l('合同执行确认', 'Execution confirmation'),
        rows: [
          [
            { field: 'effectiveDate1', span: 8 },
            { field: 'effectiveDate2', span: 8 },
            { field: 'completionOwner', span: 8 },
          ],
          [{ field: 'remark' }],
        ],
      },
    ],
  },
});
