import { defineForm } from '@baton/pack';
import { l } from '../labels.ts';
import { assetCategories, currencies, payStatuses } from '../purchase-labels.ts';

/**
 * F35 采购付款情况底表: what is owed to suppliers, one line per received purchase or contract instalment (a no-flow
 * archive). Finance enters received assets; approved purchase contracts add one line per payment-plan instalment.
 * Purchase payments (F34) pick unpaid lines: while a request runs, `pendingPaymentRef` holds it (so no second
 * request takes the line); each approved payment adds to `paidAmount`, sets the status and links the request.
 */
export const purchasePaymentLedger = defineForm({
  pack: 'contracts',
  key: 'purchasePaymentLedger',
  kind: 'archive',
  label: l('采购付款情况底表', 'Purchase payment base table'),
  fields: [
    { key: 'company', label: l('申请公司', 'Applying company'), type: 'unit', default: { from: 'unit' } },
    {
      key: 'supplierRef',
      label: l('供应商名称', 'Supplier'),
      type: 'reference',
      form: { pack: 'contracts', key: 'supplierArchive' },
      display: 'supplierName',
      fill: { supplierName: 'supplierName' },
      required: true,
    },
    { key: 'supplierName', label: l('供应商', 'Supplier name'), type: 'text' },
    { key: 'assetCategory', label: l('类别', 'Category'), type: 'select', options: assetCategories },
    { key: 'assetName', label: l('资产名称', 'Asset'), type: 'text', required: true },
    { key: 'project', label: l('项目名称', 'Project'), type: 'text' },
    { key: 'quantity', label: l('采购数量', 'Quantity'), type: 'number', scale: 2, min: 0, default: 1 },
    { key: 'unitPrice', label: l('采购单价', 'Unit price'), type: 'money', min: 0 },
    { key: 'currency', label: l('币种', 'Currency'), type: 'select', options: currencies, default: 'CNY' },
    {
      key: 'origAmount',
      label: l('原币金额', 'Original-currency amount'),
      type: 'formula',
      expr: 'unitPrice * quantity',
      resultType: 'money',
    },
    { key: 'rate', label: l('本币汇率', 'Exchange rate'), type: 'number', scale: 6, min: 0, default: 1 },
    {
      key: 'localAmount',
      label: l('本币金额', 'Local amount'),
      type: 'formula',
      expr: 'origAmount * rate',
      resultType: 'money',
    },
    { key: 'inboundDate', label: l('入库时间', 'Inbound date'), type: 'date' },
    {
      key: 'paid',
      label: l('是否付款', 'Paid?'),
      type: 'select',
      options: payStatuses,
      default: 'unpaid',
      required: true,
    },
    { key: 'paidAmount', label: l('已付金额', 'Paid amount'), type: 'money', min: 0, default: 0 },
    {
      key: 'unpaidAmount',
      label: l('未付金额', 'Unpaid amount'),
      type: 'formula',
      expr: 'localAmount - paidAmount',
      resultType: 'money',
    },
    {
      key: 'pendingPaymentRef',
      label: l('在途付款申请', 'Payment request in progress'),
      type: 'reference',
      form: { pack: 'contracts', key: 'purchasePayment' },
      display: 'serialNo',
    },
    {
      key: 'paymentRef',
      label: l('付款申请', 'Payment request'),
      type: 'reference',
      form: { pack: 'contracts', key: 'purchasePayment' },
      display: 'serialNo',
    },
    // Where a contract instalment comes from (blank for received assets).
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', maxLength: 60 },
    { key: 'period', label: l('付款期数', 'Instalment'), type: 'number', scale: 0, min: 1 },
    { key: 'dueDate', label: l('计划付款日期', 'Planned date'), type: 'date' },
    {
      key: 'purchaseContractRef',
      label: l('采购合同审批单', 'Purchase contract approval'),
      type: 'reference',
      form: { pack: 'contracts', key: 'purchaseContract' },
      display: 'docNo',
    },
    {
      key: 'budgetRef',
      label: l('预算科目', 'Budget line'),
      type: 'reference',
      form: { pack: 'contracts', key: 'budgetLedger' },
      display: 'lineName',
    },
  ],
  // One line per instalment of a contract, so a change's upsert finds it (received assets have no number: blanks never collide).
  keys: [['contractNo', 'period']],
  layout: {
    sections: [
      {
        key: 'line',
        title: l('采购付款情况', 'Payable line'),
        rows: [
          [
            { field: 'company', span: 8 },
            { field: 'supplierRef', span: 16 },
          ],
          [
            { field: 'assetCategory', span: 6 },
            { field: 'assetName', span: 9 },
            { field: 'project', span: 9 },
          ],
          [
            { field: 'quantity', span: 6 },
            { field: 'unitPrice', span: 6 },
            { field: 'currency', span: 6 },
            { field: 'origAmount', span: 6 },
          ],
          [
            { field: 'rate', span: 6 },
            { field: 'localAmount', span: 6 },
            { field: 'inboundDate', span: 6 },
            { field: 'budgetRef', span: 6 },
          ],
        ],
      },
      {
        key: 'payment',
        title: l('付款', 'Payment'),
        rows: [
          [
            { field: 'paid', span: 6 },
            { field: 'paidAmount', span: 6 },
            { field: 'unpaidAmount', span: 6 },
            { field: 'paymentRef', span: 6 },
          ],
          [{ field: 'pendingPaymentRef', span: 12 }],
        ],
      },
      {
        key: 'contract',
        title: l('合同分期', 'Contract instalment'),
        rows: [
          [
            { field: 'contractNo', span: 8 },
            { field: 'period', span: 4 },
            { field: 'dueDate', span: 4 },
            { field: 'purchaseContractRef', span: 8 },
          ],
        ],
      },
    ],
  },
});
