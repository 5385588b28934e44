import { defineForm } from '@baton/pack';
import { l, productTypes, settlementMethods } from '../labels.ts';

/**
 * F12 销售合同审批表: the salesperson drafts a service sales contract, legal and the sales director review it
 * (catalog §2.6). The product lines and the payment terms (付款说明 — our collection plan) must each add up to the
 * contract amount; each total sits beside the amount so the refusal points at it. On approval the rules write the
 * contract archive and the collection plan (F14). The customer is named and coded by text: a pack may reference
 * only its own forms, so the CRM's customer archive and opportunities cannot be picked here.
 */
export const salesContract = defineForm({
  pack: 'contracts',
  key: 'salesContract',
  kind: 'flow',
  label: l('销售合同审批表', 'Sales contract approval'),
  fields: [
    // 基本信息.
    {
      key: 'contractNo',
      label: l('合同编码', 'Contract code'),
      type: 'serial',
      pattern: 'XS-{yyyy}-{seq:4}',
      reset: 'yearly',
    },
    // (implied) the archive lists contracts by name.
    { key: 'contractName', label: l('合同名称', 'Contract name'), type: 'text', required: true, maxLength: 200 },
    { key: 'customerName', label: l('客户名称', 'Customer name'), type: 'text', required: true, maxLength: 200 },
    { key: 'customerNo', label: l('客户编码', 'Customer code'), type: 'text', maxLength: 40 },
    // 所在省份 / 所在城市: one cascading region value [province, city].
    { key: 'provinceCity', label: l('所在省份/城市', 'Province / city'), type: 'region', levels: 2 },
    { key: 'customerAddress', label: l('客户地址', 'Customer address'), type: 'text' },
    { key: 'contactName', label: l('联系人', 'Contact'), type: 'text' },
    { key: 'contactPhone', label: l('联系电话', 'Contact phone'), type: 'text', maxLength: 40 },
    {
      key: 'contractAmountUpper',
      label: l('合同金额（大写）', 'Contract amount in words'),
      type: 'moneyUpper',
      of: 'contractAmount',
    },
    { key: 'contractAmount', label: l('小写', 'Contract amount'), type: 'money', required: true, min: 1 },
    {
      key: 'productsTotal',
      label: l('产品金额合计', 'Product lines total'),
      type: 'formula',
      expr: 'SUM(products.amount)',
      resultType: 'money',
      validation: {
        expr: 'productsTotal = contractAmount',
        message: l('产品信息的金额合计须等于合同金额', 'The product lines must add up to the contract amount'),
      },
    },
    {
      key: 'paymentTermsTotal',
      label: l('付款金额合计', 'Payment terms total'),
      type: 'formula',
      expr: 'SUM(paymentTerms.amount)',
      resultType: 'money',
      validation: {
        expr: 'paymentTermsTotal = contractAmount',
        message: l('付款说明的金额合计须等于合同金额', 'The payment terms must add up to the contract amount'),
      },
    },
    // (implied) who signs, for whom, when and for how long: the archive and the collection plan need them.
    {
      key: 'salesperson',
      label: l('签订人', 'Signed by'),
      type: 'member',
      required: true,
      default: { from: 'member' },
    },
    {
      key: 'salesDept',
      label: l('签订部门', 'Signing department'),
      type: 'department',
      default: { from: 'department' },
    },
    { key: 'signingUnit', label: l('签订公司', 'Signing company'), type: 'unit', default: { from: 'unit' } },
    { key: 'signDate', label: l('签订日期', 'Signing date'), type: 'date', default: { from: 'today' } },
    { key: 'termStart', label: l('合同开始日期', 'Term from'), type: 'date' },
    {
      key: 'termEnd',
      label: l('合同结束日期', 'Term until'),
      type: 'date',
      validation: {
        expr: 'ISBLANK(termEnd) OR ISBLANK(termStart) OR termEnd >= termStart',
        message: l('合同结束日期不能早于开始日期', 'The term cannot end before it starts'),
      },
    },
    { key: 'productType', label: l('产品类型', 'Product type'), type: 'select', options: productTypes },
    // (implied) the collection plan's gross profit and margin (F14) start from the estimate made when signing.
    { key: 'grossProfit', label: l('预计毛利额', 'Estimated gross profit'), type: 'money' },
    {
      key: 'collector',
      label: l('收款财务', 'Finance contact'),
      type: 'member',
      help: l('收款提醒同时发给该财务人员', 'Collection reminders go to this finance colleague as well'),
    },
    // 合同主要条款.
    {
      key: 'discount',
      label: l('折扣（折）', 'Discount (tenths)'),
      type: 'number',
      scale: 1,
      min: 0.1,
      max: 10,
      help: l('8 折即按 80% 计价', '8 means 80 % of the list price'),
    },
    { key: 'contractFile', label: l('合同文本', 'Contract text'), type: 'attachments' },
    // 审批意见.
    { key: 'opLegal', label: l('法务意见', 'Legal opinion'), type: 'opinion', node: 'legal', preset: '同意。' },
    {
      key: 'opSalesDirector',
      label: l('销售总监意见', "Sales director's opinion"),
      type: 'opinion',
      node: 'salesDirector',
      preset: '同意。',
    },
  ],
  subtables: [
    {
      key: 'products',
      label: l('产品信息', 'Products'),
      minRows: 1,
      columns: [
        { key: 'name', label: l('产品名称', 'Product name'), type: 'text', required: true },
        { key: 'spec', label: l('规格型号', 'Specification / model'), type: 'text' },
        { key: 'code', label: l('产品编码', 'Product code'), type: 'text' },
        { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 2, min: 0 },
        { key: 'amount', label: l('金额', 'Amount'), type: 'money', required: true, min: 0 },
      ],
      totals: ['amount'],
    },
    {
      key: 'paymentTerms',
      label: l('付款说明', 'Payment terms'),
      minRows: 1,
      maxRows: 60,
      columns: [
        { key: 'milestone', label: l('付款节点', 'Payment milestone'), type: 'text', required: true },
        { key: 'condition', label: l('付款条件描述', 'Condition'), type: 'longtext' },
        { key: 'amount', label: l('付款金额', 'Amount'), type: 'money', required: true, min: 1 },
        { key: 'plannedDate', label: l('计划收款日期', 'Planned date'), type: 'date', required: true },
        { key: 'method', label: l('回款方式', 'Method'), type: 'select', options: settlementMethods },
      ],
      totals: ['amount'],
    },
  ],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('基本信息', 'Basic information'),
        rows: [
          [
            { field: 'contractNo', span: 8 },
            { field: 'contractName', span: 16 },
          ],
          [
            { field: 'customerName', span: 16 },
            { field: 'customerNo', span: 8 },
          ],
          [
            { field: 'provinceCity', span: 8 },
            { field: 'customerAddress', span: 16 },
          ],
          [
            { field: 'contactName', span: 12 },
            { field: 'contactPhone', span: 12 },
          ],
          [
            { field: 'contractAmountUpper', span: 16 },
            { field: 'contractAmount', span: 8 },
          ],
          [
            { field: 'salesperson', span: 6 },
            { field: 'salesDept', span: 6 },
            { field: 'signingUnit', span: 6 },
            { field: 'signDate', span: 6 },
          ],
          [
            { field: 'termStart', span: 6 },
            { field: 'termEnd', span: 6 },
            { field: 'productType', span: 6 },
            { field: 'grossProfit', span: 6 },
          ],
        ],
      },
      {
        key: 'products',
        title: l('产品信息', 'Products'),
        rows: [[{ field: 'products' }], [{ field: 'productsTotal', span: 8 }]],
      },
      {
        key: 'clauses',
        title: l('合同主要条款', 'Main clauses'),
        rows: [
          [
            { field: 'discount', span: 8 },
            { field: 'collector', span: 8 },
          ],
          [{ field: 'paymentTerms' }],
          [{ field: 'paymentTermsTotal', span: 8 }],
          [{ field: 'contractFile' }],
        ],
      },
      {
        key: 'opinions',
        title: l('审批意见', 'Opinions'),
        rows: [[{ field: 'opLegal' }], [{ field: 'opSalesDirector' }]],
      },
    ],
  },
});
