import { createFakeClock, type FakeClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { type FormDefinitionInput, formMigrations } from '@baton/form';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

export type Env = { database: TestDatabase; ctx: DbCtx & { clock: FakeClock }; clock: FakeClock };

export async function openEnv(): Promise<Env> {
  const database = await createTestDatabase({ migrations: [formMigrations] });
  // 2026-11-28 09:00 in Shanghai.
  const clock = createFakeClock('2026-11-28T01:00:00.000Z');
  return { database, ctx: testCtx(database.db, { clock }), clock };
}

const l = (zh: string, en: string) => ({ zh, en });

/** F08 customer archive (no-flow archive form). */
export const customerArchive: FormDefinitionInput = {
  pack: 'customerArchive',
  key: 'customerArchive',
  kind: 'archive',
  label: l('整合营销中心客户信息表', 'Customer information'),
  fields: [
    { key: 'salesLead', label: l('销售线索', 'Owning team'), type: 'department', default: { from: 'department' } },
    {
      key: 'leadSource',
      label: l('线索来源', 'Lead source'),
      type: 'select',
      options: [
        { code: 'web', label: l('网站', 'Web') },
        { code: 'referral', label: l('转介绍', 'Referral') },
      ],
    },
    {
      key: 'customerNo',
      label: l('客户编号', 'Customer no.'),
      type: 'serial',
      pattern: 'KH{yyyy}{seq:5}',
      reset: 'never',
    },
    { key: 'companyName', label: l('客户公司名称', 'Company'), type: 'text', required: true },
    { key: 'agencyName', label: l('代理公司名称', 'Agency'), type: 'text' },
    { key: 'salesperson', label: l('销售', 'Salesperson'), type: 'member', default: { from: 'member' } },
    {
      key: 'productType',
      label: l('产品类型', 'Product type'),
      type: 'select',
      options: [
        { code: 'cosmetics', label: l('化妆品', 'Cosmetics') },
        { code: 'auto', label: l('汽车', 'Automotive') },
      ],
    },
    { key: 'postcode', label: l('邮编', 'Postcode'), type: 'text', maxLength: 10 },
    { key: 'contactName', label: l('联系人', 'Contact'), type: 'text' },
    { key: 'contactTitle', label: l('职位', 'Title'), type: 'text' },
    { key: 'contactPhone', label: l('电话', 'Phone'), type: 'text' },
    { key: 'contactEmail', label: l('邮箱', 'E-mail'), type: 'text' },
    { key: 'address', label: l('公司地址', 'Address'), type: 'text' },
    { key: 'leaderComment', label: l('领导批示', 'Instructions'), type: 'longtext' },
    { key: 'lastUpdated', label: l('更新日期', 'Last updated'), type: 'date', default: { from: 'today' } },
  ],
  subtables: [
    {
      key: 'cooperations',
      label: l('合作情况', 'Cooperation history'),
      columns: [
        { key: 'date', label: l('合作时间', 'Date'), type: 'date' },
        { key: 'product', label: l('合作产品', 'Product'), type: 'text' },
        { key: 'project', label: l('合作项目', 'Project'), type: 'text' },
        { key: 'amount', label: l('合作金额', 'Amount'), type: 'money' },
      ],
      totals: ['amount'],
    },
  ],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('基本信息', 'Basic'),
        rows: [
          [
            { field: 'customerNo', span: 12 },
            { field: 'companyName', span: 12 },
          ],
          [{ field: 'cooperations' }],
        ],
      },
    ],
  },
  keys: [['companyName']],
};

/** F12 sales contract approval with subtables, moneyUpper and serial. */
export const salesContract: FormDefinitionInput = {
  pack: 'salesContract',
  key: 'salesContract',
  kind: 'flow',
  label: l('销售合同审批表', 'Sales contract approval'),
  fields: [
    {
      key: 'customerRef',
      label: l('客户名称', 'Customer'),
      type: 'reference',
      form: { pack: 'customerArchive', key: 'customerArchive' },
      display: 'companyName',
      // Picking a customer fills its code, address and contact.
      fill: { customerNo: 'customerNo', customerAddress: 'address', contactName: 'contactName' },
    },
    { key: 'customerNo', label: l('客户编码', 'Customer code'), type: 'text' },
    {
      key: 'contractNo',
      label: l('合同编码', 'Contract no.'),
      type: 'serial',
      pattern: 'HT-{yyyy}{MM}-{seq:4}',
      reset: 'monthly',
    },
    { key: 'province', label: l('所在省份', 'Province'), type: 'text' },
    { key: 'city', label: l('所在城市', 'City'), type: 'text' },
    { key: 'customerAddress', label: l('客户地址', 'Address'), type: 'text' },
    { key: 'contactName', label: l('联系人', 'Contact'), type: 'text' },
    { key: 'contractAmountUpper', label: l('合同金额', 'Amount in words'), type: 'moneyUpper', of: 'contractAmount' },
    {
      key: 'contractAmount',
      label: l('小写', 'Amount'),
      type: 'money',
      required: true,
      validation: {
        expr: 'SUM(paymentTerms.amount) = contractAmount',
        message: l('付款金额合计必须等于合同金额', 'The payment terms must add up to the contract amount'),
      },
    },
    { key: 'discount', label: l('折扣', 'Discount'), type: 'number', scale: 1 },
    { key: 'contractFile', label: l('合同文本', 'Contract text'), type: 'attachments' },
    { key: 'opLegal', label: l('法务意见', 'Legal'), type: 'opinion', node: 'legal', preset: '同意' },
    { key: 'opSalesDirector', label: l('销售总监意见', 'Sales director'), type: 'opinion', node: 'salesDirector' },
  ],
  subtables: [
    {
      key: 'products',
      label: l('产品信息', 'Products'),
      columns: [
        { key: 'name', label: l('产品名称', 'Product'), type: 'text', required: true },
        { key: 'spec', label: l('规格型号', 'Specification'), type: 'text' },
        { key: 'code', label: l('产品编码', 'Code'), type: 'text' },
      ],
      minRows: 1,
    },
    {
      key: 'paymentTerms',
      label: l('付款说明', 'Payment terms'),
      columns: [
        { key: 'milestone', label: l('付款节点', 'Milestone'), type: 'text' },
        { key: 'condition', label: l('付款条件描述', 'Condition'), type: 'longtext' },
        { key: 'amount', label: l('付款金额', 'Amount'), type: 'money', required: true },
        { key: 'plannedDate', label: l('计划日期', 'Planned date'), type: 'date' },
      ],
      totals: ['amount'],
    },
  ],
};

/** F34 purchase payment with > 100 lines. */
export const purchasePayment: FormDefinitionInput = {
  pack: 'purchasePayment',
  key: 'purchasePayment',
  kind: 'flow',
  label: l('采购付款申请单', 'Purchase payment request'),
  fields: [
    { key: 'date', label: l('日期', 'Date'), type: 'date', default: { from: 'today' } },
    { key: 'serialNo', label: l('编号', 'No.'), type: 'serial', pattern: 'CGFK{yyyy}{MM}{dd}{seq:3}', reset: 'daily' },
    { key: 'submitter', label: l('提交人', 'Submitted by'), type: 'member', default: { from: 'member' } },
    { key: 'applicant', label: l('申请人', 'Applicant'), type: 'member', required: true },
    { key: 'employeeNo', label: l('员工编号', 'Employee no.'), type: 'text' },
    { key: 'phone', label: l('联系电话', 'Phone'), type: 'text' },
    { key: 'company', label: l('申请公司', 'Company'), type: 'unit', default: { from: 'unit' } },
    { key: 'dept', label: l('所属部门', 'Department'), type: 'department', default: { from: 'department' } },
    {
      key: 'settlementMethod',
      label: l('结算方式', 'Settlement'),
      type: 'select',
      options: [
        { code: 'transfer', label: l('转账', 'Transfer') },
        { code: 'cheque', label: l('支票', 'Cheque') },
        { code: 'cash', label: l('现金', 'Cash') },
      ],
    },
    { key: 'attachments', label: l('附件信息', 'Attachments'), type: 'attachments' },
    { key: 'payeeBank', label: l('收款银行', 'Payee bank'), type: 'text' },
    { key: 'payeeAccount', label: l('收款账号', 'Payee account'), type: 'text' },
    { key: 'reason', label: l('申请事由', 'Reason'), type: 'longtext' },
    {
      key: 'requestTotal',
      label: l('申请金额合计', 'Requested total'),
      type: 'formula',
      expr: 'SUM(items.localAmount)',
      resultType: 'money',
    },
    { key: 'paidAmount', label: l('实际付款金额', 'Paid'), type: 'money' },
    { key: 'paidAmountUpper', label: l('实际付款金额大写', 'Paid in words'), type: 'moneyUpper', of: 'paidAmount' },
    { key: 'cashier', label: l('出纳付款', 'Cashier'), type: 'member' },
    { key: 'paidAt', label: l('出纳付款时间', 'Paid at'), type: 'datetime' },
    {
      key: 'opPurchasingDirector',
      label: l('采购总监', 'Purchasing director'),
      type: 'opinion',
      node: 'purchasingDirector',
    },
    { key: 'opFinanceDirector', label: l('财务总监', 'Finance director'), type: 'opinion', node: 'financeDirector' },
    { key: 'ncVoucherNo', label: l('NC 凭证号', 'NC voucher'), type: 'text' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('插入项', 'Items'),
      columns: [
        { key: 'supplier', label: l('供应商', 'Supplier'), type: 'text', required: true },
        { key: 'assetName', label: l('资产名称', 'Asset'), type: 'text' },
        { key: 'quantity', label: l('采购数量', 'Quantity'), type: 'number', scale: 0 },
        { key: 'unitPrice', label: l('采购单价', 'Unit price'), type: 'money' },
        {
          key: 'currency',
          label: l('币种', 'Currency'),
          type: 'select',
          options: [
            { code: 'CNY', label: l('人民币', 'CNY') },
            { code: 'USD', label: l('美元', 'USD') },
          ],
          default: 'CNY',
        },
        {
          key: 'origAmount',
          label: l('原币金额', 'Amount'),
          type: 'formula',
          expr: 'quantity * unitPrice',
          resultType: 'money',
        },
        { key: 'rate', label: l('本币汇率', 'Rate'), type: 'number', scale: 6, default: 1 },
        {
          key: 'localAmount',
          label: l('本币金额', 'Local amount'),
          type: 'formula',
          expr: 'origAmount * rate',
          resultType: 'money',
        },
        { key: 'inboundDate', label: l('入库时间', 'Inbound'), type: 'date' },
        {
          key: 'payStatus',
          label: l('付款情况', 'Status'),
          type: 'select',
          options: [
            { code: 'unpaid', label: l('未付款', 'Unpaid') },
            { code: 'partly', label: l('部分付款', 'Partly paid') },
            { code: 'paid', label: l('已付款', 'Paid') },
          ],
        },
      ],
      maxRows: 500,
      totals: ['localAmount', 'quantity'],
    },
  ],
};
