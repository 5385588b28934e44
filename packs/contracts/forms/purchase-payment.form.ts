import { defineForm } from '@baton/pack';
import { l, settlementMethods } from '../labels.ts';
import { currencies, ncStatuses, payStatuses } from '../purchase-labels.ts';

/** One payment carries more than 100 supplier lines at 360's scale (Q3, Q360-2); 500 leaves room. */
export const MAX_PAYMENT_LINES = 500;

/**
 * F34 采购付款申请单: the requester picks unpaid lines of the payment base table (选择数据, P-17) — each row copies
 * the line's supplier, asset, amounts, contract and budget line, and the supplier's bank — and says how much of each
 * line this request pays (several requests may settle one line, P-54). The chain is the sample's: purchasing
 * director, the remote company's GM (only for a branch or subsidiary), purchasing VP, the invoice check, finance
 * manager, finance director, CPO; the cashier then pays and records the amount and time.
 */
export const purchasePayment = defineForm({
  pack: 'contracts',
  key: 'purchasePayment',
  kind: 'flow',
  label: l('采购付款申请单', 'Purchase payment request'),
  fields: [
    { key: 'date', label: l('日期', 'Date'), type: 'date', required: true, default: { from: 'today' } },
    { key: 'serialNo', label: l('编号', 'No.'), type: 'serial', pattern: 'FK-{yyyy}{MM}{dd}-{seq:4}', reset: 'daily' },
    { key: 'submitter', label: l('提交人', 'Submitted by'), type: 'member', default: { from: 'member' } },
    {
      key: 'applicant',
      label: l('申请人', 'Applicant'),
      type: 'member',
      required: true,
      default: { from: 'member' },
    },
    { key: 'employeeNo', label: l('员工编号', 'Employee no.'), type: 'text', maxLength: 40 },
    { key: 'phone', label: l('联系电话', 'Phone'), type: 'text', maxLength: 40 },
    { key: 'company', label: l('申请公司', 'Applying company'), type: 'unit', default: { from: 'unit' } },
    { key: 'dept', label: l('所属部门', 'Department'), type: 'department', default: { from: 'department' } },
    {
      key: 'settlementMethod',
      label: l('结算方式', 'Settlement method'),
      type: 'select',
      options: settlementMethods,
      default: 'transfer',
    },
    { key: 'attachments', label: l('附件信息', 'Attachments'), type: 'attachments' },
    { key: 'payeeBank', label: l('收款银行', 'Payee bank'), type: 'text' },
    { key: 'payeeAccount', label: l('收款账号', 'Payee account'), type: 'text', maxLength: 40 },
    { key: 'reason', label: l('申请事由', 'Reason'), type: 'longtext', required: true },
    // (P-54) what this request pays; the sum of the lines' local amounts when each is paid in full.
    {
      key: 'requestTotal',
      label: l('申请金额合计', 'Requested total'),
      type: 'formula',
      expr: 'SUM(items.payAmount)',
      resultType: 'money',
    },
    {
      key: 'paidAmount',
      label: l('实际付款金额', 'Actually paid'),
      type: 'money',
      validation: {
        expr: 'ISBLANK(paidAmount) OR paidAmount = requestTotal',
        message: l('实际付款金额须等于申请金额合计', 'The amount paid must equal the requested total'),
      },
    },
    { key: 'paidAmountUpper', label: l('实际付款金额大写', 'Paid, in words'), type: 'moneyUpper', of: 'paidAmount' },
    { key: 'cashier', label: l('出纳付款', 'Cashier'), type: 'member' },
    { key: 'paidAt', label: l('出纳付款时间', 'Paid at'), type: 'datetime' },
    {
      key: 'opPurchasingDirector',
      label: l('采购总监', 'Purchasing director'),
      type: 'opinion',
      node: 'purchasingDirector',
      preset: '同意',
    },
    {
      key: 'opRemoteGm',
      label: l('异地公司总经理', 'Remote company GM'),
      type: 'opinion',
      node: 'remoteGm',
      preset: '同意',
    },
    {
      key: 'opPurchasingVp',
      label: l('采购VP', 'Purchasing VP'),
      type: 'opinion',
      node: 'purchasingVp',
      preset: '同意',
    },
    {
      key: 'opInvoiceCheck',
      label: l('财务审核发票', 'Finance invoice check'),
      type: 'opinion',
      node: 'invoiceCheck',
      preset: '发票已核',
    },
    {
      key: 'opFinanceManager',
      label: l('财务经理', 'Finance manager'),
      type: 'opinion',
      node: 'financeManager',
      preset: '同意',
    },
    {
      key: 'opFinanceDirector',
      label: l('财务总监', 'Finance director'),
      type: 'opinion',
      node: 'financeDirector',
      preset: '同意',
    },
    { key: 'opCpo', label: l('CPO', 'CPO'), type: 'opinion', node: 'cpo', preset: '同意' },
    // (implied) written back by the NC connector (P-101).
    { key: 'ncVoucherNo', label: l('NC 凭证号', 'NC voucher no.'), type: 'text' },
    { key: 'ncPayStatus', label: l('NC 付款状态', 'NC payment status'), type: 'select', options: ncStatuses },
  ],
  subtables: [
    {
      key: 'items',
      label: l('付款明细', 'Lines'),
      minRows: 1,
      maxRows: MAX_PAYMENT_LINES,
      columns: [
        {
          key: 'ledgerRowRef',
          label: l('选择数据（底表行）', 'Base-table line'),
          type: 'reference',
          form: { pack: 'contracts', key: 'purchasePaymentLedger' },
          display: 'assetName',
          // Fully paid lines cannot be picked; a line held by a running request is refused by a guard, by name.
          filter: "paid IN ['unpaid', 'partlyPaid']",
          fill: {
            supplier: 'supplierRef',
            supplierName: 'supplierName',
            assetName: 'assetName',
            quantity: 'quantity',
            unitPrice: 'unitPrice',
            currency: 'currency',
            rate: 'rate',
            inboundDate: 'inboundDate',
            payStatus: 'paid',
            unpaidAmount: 'unpaidAmount',
            contractNo: 'contractNo',
            budgetRef: 'budgetRef',
          },
          required: true,
        },
        {
          key: 'supplier',
          label: l('供应商', 'Supplier'),
          type: 'reference',
          form: { pack: 'contracts', key: 'supplierArchive' },
          display: 'supplierName',
          fill: { payeeBank: 'bankName', payeeAccount: 'bankAccount' },
        },
        { key: 'supplierName', label: l('供应商名称', 'Supplier name'), type: 'text' },
        { key: 'assetName', label: l('资产名称', 'Asset'), type: 'text' },
        { key: 'quantity', label: l('采购数量', 'Quantity'), type: 'number', scale: 2 },
        { key: 'unitPrice', label: l('采购单价', 'Unit price'), type: 'money' },
        { key: 'currency', label: l('币种', 'Currency'), type: 'select', options: currencies },
        {
          key: 'origAmount',
          label: l('原币金额', 'Original-currency amount'),
          type: 'formula',
          expr: 'unitPrice * quantity',
          resultType: 'money',
        },
        { key: 'rate', label: l('本币汇率', 'Exchange rate'), type: 'number', scale: 6 },
        {
          key: 'localAmount',
          label: l('本币金额', 'Local amount'),
          type: 'formula',
          expr: 'origAmount * rate',
          resultType: 'money',
        },
        { key: 'inboundDate', label: l('入库时间', 'Inbound date'), type: 'date' },
        { key: 'payStatus', label: l('付款情况', 'Payment status'), type: 'select', options: payStatuses },
        { key: 'unpaidAmount', label: l('未付金额', 'Unpaid'), type: 'money' },
        {
          key: 'payAmount',
          label: l('本次付款金额', 'Paid by this request'),
          type: 'money',
          required: true,
          validation: {
            expr: 'payAmount > 0 AND payAmount <= unpaidAmount',
            message: l('本次付款金额须大于零且不超过未付金额', 'Pay more than zero and no more than is unpaid'),
          },
        },
        { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', maxLength: 60 },
        {
          key: 'budgetRef',
          label: l('预算科目', 'Budget line'),
          type: 'reference',
          form: { pack: 'contracts', key: 'budgetLedger' },
          display: 'lineName',
        },
        { key: 'payeeBank', label: l('收款银行', 'Payee bank'), type: 'text' },
        { key: 'payeeAccount', label: l('收款账号', 'Payee account'), type: 'text', maxLength: 40 },
      ],
      totals: ['localAmount', 'payAmount'],
    },
  ],
  layout: {
    sections: [
      {
        key: 'request',
        title: l('采购付款申请单', 'Purchase payment request'),
        rows: [
          [
            { field: 'date', span: 8 },
            { field: 'serialNo', span: 8 },
            { field: 'submitter', span: 8 },
          ],
          [
            { field: 'applicant', span: 8 },
            { field: 'employeeNo', span: 8 },
            { field: 'phone', span: 8 },
          ],
          [
            { field: 'company', span: 8 },
            { field: 'dept', span: 8 },
            { field: 'settlementMethod', span: 8 },
          ],
          [
            { field: 'payeeBank', span: 12 },
            { field: 'payeeAccount', span: 12 },
          ],
          [{ field: 'reason' }],
          [{ field: 'attachments' }],
        ],
      },
      {
        key: 'lines',
        title: l('付款明细', 'Lines'),
        rows: [[{ field: 'items' }], [{ field: 'requestTotal', span: 8 }]],
      },
      {
        key: 'cashier',
        title: l('出纳付款', 'Payment'),
        rows: [
          [
            { field: 'paidAmount', span: 8 },
            { field: 'paidAmountUpper', span: 16 },
          ],
          [
            { field: 'cashier', span: 12 },
            { field: 'paidAt', span: 12 },
          ],
          [
            { field: 'ncVoucherNo', span: 12 },
            { field: 'ncPayStatus', span: 12 },
          ],
        ],
      },
      {
        key: 'opinions',
        title: l('审批意见', 'Opinions'),
        rows: [
          [{ field: 'opPurchasingDirector' }],
          [{ field: 'opRemoteGm' }],
          [{ field: 'opPurchasingVp' }],
          [{ field: 'opInvoiceCheck' }],
          [{ field: 'opFinanceManager' }],
          [{ field: 'opFinanceDirector' }],
          [{ field: 'opCpo' }],
        ],
      },
    ],
  },
});
