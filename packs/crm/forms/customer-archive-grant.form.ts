import { defineForm } from '@baton/pack';
import { l, opt } from '../labels.ts';

/**
 * F09 客户档案借阅申请表: a director (or salesperson) asks to read a customer of another team; sales management or
 * the archive administrator approves. The customer picker lists every archived customer by name only, since the
 * applicant cannot read the record itself yet (P-63).
 */
export const customerArchiveGrant = defineForm({
  pack: 'crm',
  key: 'customerArchiveGrant',
  kind: 'flow',
  label: l('客户档案借阅申请', 'Customer archive borrowing request'),
  fields: [
    { key: 'applicant', label: l('申请人', 'Applicant'), type: 'member', required: true, default: { from: 'member' } },
    // (seed issue) the second 申请人 slot is the application date.
    { key: 'applyDate', label: l('申请日期', 'Application date'), type: 'date', default: { from: 'today' } },
    { key: 'dept', label: l('所在部门', 'Department'), type: 'department', default: { from: 'department' } },
    {
      key: 'customerRef',
      label: l('客户名称', 'Customer'),
      type: 'reference',
      form: { pack: 'crm', key: 'customerArchive' },
      display: 'companyName',
      // The picker lists customers the applicant cannot read yet — by name only (catalog F09).
      anyRecord: true,
      required: true,
    },
    { key: 'reason', label: l('借阅原因', 'Reason'), type: 'longtext', required: true },
    { key: 'attachment', label: l('附件', 'Attachment'), type: 'attachment' },
    // (implied) grants are time-limited: 7 days unless the request says otherwise.
    { key: 'grantFrom', label: l('借阅开始', 'Borrow from'), type: 'date', required: true, default: { from: 'today' } },
    {
      key: 'grantTo',
      label: l('借阅截止', 'Borrow until'),
      type: 'date',
      required: true,
      default: { expr: 'ADDDAYS(TODAY(), 7)' },
      validation: {
        expr: 'grantTo >= grantFrom',
        message: l('截止日期不能早于开始日期', 'The end date cannot be before the start date'),
      },
    },
    {
      key: 'grantLevel',
      label: l('借阅权限', 'Access level'),
      type: 'radio',
      options: [opt('read', '只读', 'Read'), opt('readExport', '读取并导出', 'Read and export')],
      default: 'read',
    },
    {
      key: 'opSalesAdmin',
      label: l('销售管理部审批意见', 'Sales management opinion'),
      type: 'opinion',
      node: 'salesAdmin',
      preset: '同意',
    },
  ],
  layout: {
    sections: [
      {
        key: 'request',
        title: l('借阅申请', 'Request'),
        rows: [
          [
            { field: 'applicant', span: 8 },
            { field: 'applyDate', span: 8 },
            { field: 'dept', span: 8 },
          ],
          [{ field: 'customerRef' }],
          [{ field: 'reason' }],
          [
            { field: 'grantFrom', span: 8 },
            { field: 'grantTo', span: 8 },
            { field: 'grantLevel', span: 8 },
          ],
          [{ field: 'attachment' }],
        ],
      },
      { key: 'opinion', title: l('审批意见', 'Opinion'), rows: [[{ field: 'opSalesAdmin' }]] },
    ],
  },
});
