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
import {
  archiveFreshness,
  cooperationByMonth,
  customersByIndustry,
  customersByProductType,
  customersByRegion,
  customersBySalesperson,
} from './reports/customers.report.ts';
import {
  opportunitiesByIndustry,
  opportunitiesByMonth,
  opportunitiesBySource,
  opportunitiesByStage,
  staleOpportunities,
} from './reports/opportunities.report.ts';
import { servicesByCustomer, servicesBySatisfaction, servicesByType } from './reports/services.report.ts';
import { roles } from './roles.ts';
import { grantExpiryReminder, staleOpportunityReminder } from './rules/crm-reminders.rule.ts';
import { grantOnApproval } from './rules/customer-archive-grant.rule.ts';

/**
 * 客户关系管理 (catalog §2.3–2.5): customer archive (F08), archive borrowing (F09), opportunities (F10) and
 * customer service records (F11).
 */
export const crm = definePack({
  key: 'crm',
  version: '1.3.0',
  name: l('客户关系管理', 'Customer relationship management'),
  description: l(
    '客户档案、档案借阅、商机跟进与客户服务记录',
    'Customer archive, archive borrowing, opportunity follow-up and customer service records',
  ),
  forms: [customerArchive, customerArchiveGrant, opportunity, customerServiceRecord],
  flows: [customerArchiveGrantFlow, customerServiceReviewFlow],
  rules: [grantOnApproval, grantExpiryReminder, staleOpportunityReminder],
  // Each member sees the figures of the records their scopes reach.
  reports: [
    customersByRegion,
    customersByIndustry,
    customersByProductType,
    customersBySalesperson,
    cooperationByMonth,
    archiveFreshness,
    opportunitiesByStage,
    opportunitiesBySource,
    opportunitiesByIndustry,
    opportunitiesByMonth,
    staleOpportunities,
    servicesByCustomer,
    servicesByType,
    servicesBySatisfaction,
  ],
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
    {
      key: 'crmReports',
      label: l('客户统计', 'CRM statistics'),
      icon: 'bar-chart',
      items: [
        { key: 'byRegion', label: l('客户区域分布', 'Customers by region'), report: 'customersByRegion' },
        { key: 'byIndustry', label: l('客户行业分布', 'Customers by industry'), report: 'customersByIndustry' },
        {
          key: 'byProductType',
          label: l('客户产品类型', 'Customers by product type'),
          report: 'customersByProductType',
        },
        {
          key: 'bySalesperson',
          label: l('客户销售分布', 'Customers by salesperson'),
          report: 'customersBySalesperson',
        },
        { key: 'cooperation', label: l('合作金额', 'Cooperation amount'), report: 'cooperationByMonth' },
        { key: 'freshness', label: l('档案更新情况', 'Archive freshness'), report: 'archiveFreshness' },
        { key: 'funnel', label: l('商机漏斗', 'Opportunity funnel'), report: 'opportunitiesByStage' },
        { key: 'sources', label: l('商机来源', 'Opportunity sources'), report: 'opportunitiesBySource' },
        { key: 'industries', label: l('商机行业', 'Opportunity industries'), report: 'opportunitiesByIndustry' },
        { key: 'months', label: l('商机月度', 'Opportunities by month'), report: 'opportunitiesByMonth' },
        { key: 'stale', label: l('久未跟进商机', 'Stale opportunities'), report: 'staleOpportunities' },
        { key: 'serviceCustomers', label: l('服务客户分布', 'Services by customer'), report: 'servicesByCustomer' },
        { key: 'serviceTypes', label: l('服务类型', 'Services by type'), report: 'servicesByType' },
        { key: 'satisfaction', label: l('满意度', 'Satisfaction'), report: 'servicesBySatisfaction' },
      ],
    },
  ],
  roles,
  locales: { 'zh-CN': zhCN, 'en-US': enUS },
  demo,
});

export default crm;
