import { defineForm } from '@baton/pack';
import { l, opt, regions } from '../labels.ts';

/**
 * F08 整合营销中心客户信息表: the customer archive, a no-flow form kept and edited directly. Row permissions come
 * from the pack's roles: a salesperson owns what they enter, a sales director reaches the department and below,
 * sales management everything (catalog §2.3, P-60). Company names are unique (P-66).
 */
export const customerArchive = defineForm({
  pack: 'crm',
  key: 'customerArchive',
  kind: 'archive',
  label: l('客户档案', 'Customer archive'),
  fields: [
    {
      key: 'customerNo',
      label: l('客户编号', 'Customer no.'),
      type: 'serial',
      pattern: 'KH-{yyyy}-{seq:4}',
      reset: 'yearly',
    },
    // (seed issue) 销售线索 holds a team ("北京销售二部"): the owning team, plus where the lead came from.
    {
      key: 'salesLead',
      label: l('销售线索（所属团队）', 'Sales lead (owning team)'),
      type: 'department',
      default: { from: 'department' },
    },
    {
      key: 'leadSource',
      label: l('线索来源', 'Lead source'),
      type: 'select',
      options: [
        opt('exhibition', '展会', 'Exhibition'),
        opt('referral', '转介绍', 'Referral'),
        opt('web', '网络', 'Web'),
        opt('phone', '电话', 'Phone'),
        opt('other', '其他', 'Other'),
      ],
    },
    { key: 'companyName', label: l('客户公司名称', 'Customer company name'), type: 'text', required: true },
    { key: 'agencyName', label: l('代理公司名称', 'Agency name'), type: 'text' },
    {
      key: 'salesperson',
      label: l('销售', 'Salesperson'),
      type: 'member',
      required: true,
      default: { from: 'member' },
    },
    {
      key: 'productType',
      label: l('产品类型', 'Product type'),
      type: 'select',
      options: [
        opt('cosmetics', '化妆品', 'Cosmetics'),
        opt('fmcg', '快消品', 'Fast-moving consumer goods'),
        opt('automotive', '汽车', 'Automotive'),
        opt('finance', '金融', 'Finance'),
        opt('education', '教育', 'Education'),
        opt('games', '游戏', 'Games'),
        opt('ecommerce', '电商', 'E-commerce'),
        opt('other', '其他', 'Other'),
      ],
    },
    // (implied) statistics by region and industry (issue 10) need both on the archive.
    { key: 'region', label: l('所在区域', 'Region'), type: 'select', options: regions },
    {
      key: 'industry',
      label: l('所属行业', 'Industry'),
      type: 'select',
      options: [
        opt('internet', '互联网', 'Internet'),
        opt('retail', '零售', 'Retail'),
        opt('manufacturing', '制造', 'Manufacturing'),
        opt('finance', '金融', 'Finance'),
        opt('education', '教育', 'Education'),
        opt('catering', '餐饮', 'Catering'),
        opt('other', '其他', 'Other'),
      ],
    },
    { key: 'postcode', label: l('邮编', 'Postcode'), type: 'text', maxLength: 10 },
    { key: 'contactName', label: l('联系人', 'Contact'), type: 'text' },
    { key: 'contactTitle', label: l('职位', 'Title'), type: 'text' },
    { key: 'contactPhone', label: l('电话', 'Phone'), type: 'text', maxLength: 40 },
    { key: 'contactEmail', label: l('邮箱', 'E-mail'), type: 'text' },
    { key: 'address', label: l('公司地址', 'Company address'), type: 'text' },
    {
      key: 'leaderComment',
      label: l('领导批示', "Leader's instructions"),
      type: 'longtext',
      help: l('由销售总监或销售管理部填写', 'Written by the sales director or sales management'),
    },
    // 更新日期: the catalog's `updatedAt` is the system column (set on every save); this is the date of the
    // latest information, which the salesperson confirms.
    { key: 'lastUpdated', label: l('更新日期', 'Last updated'), type: 'date', default: { from: 'today' } },
  ],
  subtables: [
    {
      key: 'cooperations',
      label: l('合作记录', 'Cooperation history'),
      columns: [
        { key: 'date', label: l('合作时间', 'Cooperation date'), type: 'date' },
        { key: 'product', label: l('合作产品', 'Product'), type: 'text' },
        { key: 'project', label: l('合作项目', 'Project'), type: 'text' },
        { key: 'amount', label: l('合作金额', 'Amount'), type: 'money' },
      ],
      totals: ['amount'],
    },
    // (implied) customerFeedback[]: the feedback the salesperson records as it arrives (workflow step 3).
    {
      key: 'feedbacks',
      label: l('客户反馈', 'Customer feedback'),
      columns: [
        { key: 'date', label: l('日期', 'Date'), type: 'date' },
        { key: 'content', label: l('反馈内容', 'Feedback'), type: 'longtext' },
        { key: 'recordedBy', label: l('记录人', 'Recorded by'), type: 'member' },
      ],
    },
  ],
  keys: [['companyName']],
  // 领导批示 is written by the sales director and sales management only; everyone else who reaches the record
  // reads it (catalog F08). Enforced by the forms API on every write, per role.
  fieldAccess: [
    { field: 'leaderComment', access: 'read' },
    { field: 'leaderComment', access: 'edit', role: 'salesDirector' },
    { field: 'leaderComment', access: 'edit', role: 'salesAdmin' },
  ],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('客户信息', 'Customer'),
        rows: [
          [
            { field: 'customerNo', span: 12 },
            { field: 'salesLead', span: 12 },
          ],
          [
            { field: 'companyName', span: 12 },
            { field: 'agencyName', span: 12 },
          ],
          [
            { field: 'salesperson', span: 8 },
            { field: 'productType', span: 8 },
            { field: 'leadSource', span: 8 },
          ],
          [
            { field: 'region', span: 8 },
            { field: 'industry', span: 8 },
            { field: 'postcode', span: 8 },
          ],
        ],
      },
      {
        key: 'contact',
        title: l('联系方式', 'Contact'),
        rows: [
          [
            { field: 'contactName', span: 6 },
            { field: 'contactTitle', span: 6 },
            { field: 'contactPhone', span: 6 },
            { field: 'contactEmail', span: 6 },
          ],
          [{ field: 'address' }],
        ],
      },
      { key: 'cooperation', title: l('合作记录', 'Cooperation history'), rows: [[{ field: 'cooperations' }]] },
      { key: 'feedback', title: l('客户反馈', 'Customer feedback'), rows: [[{ field: 'feedbacks' }]] },
      {
        key: 'review',
        title: l('领导批示', "Leader's instructions"),
        rows: [
          [
            { field: 'leaderComment', span: 18 },
            { field: 'lastUpdated', span: 6 },
          ],
        ],
      },
    ],
  },
});
