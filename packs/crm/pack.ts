import { definePack } from '@baton/pack';
import { demo } from './demo/index.ts';
import { customerArchiveGrantFlow } from './flows/customer-archive-grant.flow.ts';
import { customerServiceReviewFlow } from './flows/customer-service-review.flow.ts';
import { customerArchive } from './forms/customer-archive.form.ts';
import { customerArchiveGrant } from './forms/customer-archive-grant.form.ts';
import { customerServiceRecord } from './forms/customer-service-record.form.ts';
import { opportunity } from './forms/opportunity.form.ts';
import { l } from './labels.ts';
import { enUS } from './locales/en-US.ts';
import { zhCN } from './locales/zh-CN.ts';
import { roles } from './roles.ts';

/**
 * 客户关系管理 (catalog §2.3–2.5): customer archive (F08), archive borrowing (F09), opportunities (F10) and
 * customer service records (F11).
 */
export const crm = definePack({
  key: 'crm',
  version: '1.0.0',
  name: l('客户关系管理', 'Customer relationship management'),
  description: l(
    '客户档案、档案借阅、商机跟进与客户服务记录',
    'Customer archive, archive borrowing, opportunity follow-up and customer service records',
  ),
  forms: [customerArchive, customerArchiveGrant, opportunity, customerServiceRecord],
  flows: [customerArchiveGrantFlow, customerServiceReviewFlow],
  // Grant on approval, expiry reminder, stale-opportunity reminder: rules/ once kernel/rule exports defineRule.
  rules: [],
  // Statistics by region, industry, product type, owner, stage, satisfaction: reports/ once kernel/report lands.
  reports: [],
  menus: [
    {
      key: 'crm',
      label: l('客户关系', 'CRM'),
      icon: 'team',
      items: [
        { key: 'customers', label: l('客户档案', 'Customers'), form: 'customerArchive' },
        { key: 'newCustomer', label: l('新建客户', 'New customer'), form: 'customerArchive', view: 'new' },
        { key: 'borrow', label: l('档案借阅申请', 'Borrow a customer archive'), flow: 'customerArchiveGrant' },
        { key: 'borrowings', label: l('借阅记录', 'Borrowing requests'), form: 'customerArchiveGrant' },
        { key: 'opportunities', label: l('商机', 'Opportunities'), form: 'opportunity' },
        { key: 'newOpportunity', label: l('录入商机', 'New opportunity'), form: 'opportunity', view: 'new' },
        { key: 'services', label: l('服务记录', 'Service records'), form: 'customerServiceRecord' },
        { key: 'newService', label: l('填写服务记录', 'Record a service'), flow: 'customerServiceReview' },
      ],
    },
  ],
  roles,
  locales: { 'zh-CN': zhCN, 'en-US': enUS },
  demo,
});

export default crm;
