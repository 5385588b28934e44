import { defineReport } from '@baton/pack';
import { customerArchive } from '../forms/customer-archive.form.ts';
import { l } from '../labels.ts';

// Customer archive statistics (catalog §2.3 reports; issue 10: by region, industry, product type and owner).
const forms = [customerArchive];
const base = { pack: 'crm', form: { pack: 'crm', key: 'customerArchive' } } as const;

export const customersByRegion = defineReport(
  {
    ...base,
    key: 'customersByRegion',
    label: l('客户分布（按区域）', 'Customers by region'),
    rows: [{ field: 'region' }],
    measures: [{ key: 'customers', agg: 'count', label: l('客户数', 'Customers') }],
    totals: true,
    chart: { kind: 'pie', x: 'region', measures: ['customers'] },
  },
  { forms },
);

export const customersByIndustry = defineReport(
  {
    ...base,
    key: 'customersByIndustry',
    label: l('客户分布（按行业）', 'Customers by industry'),
    rows: [{ field: 'industry' }],
    measures: [{ key: 'customers', agg: 'count', label: l('客户数', 'Customers') }],
    totals: true,
    chart: { kind: 'bar', x: 'industry', measures: ['customers'] },
  },
  { forms },
);

export const customersByProductType = defineReport(
  {
    ...base,
    key: 'customersByProductType',
    label: l('客户分布（按产品类型）', 'Customers by product type'),
    rows: [{ field: 'productType' }],
    measures: [{ key: 'customers', agg: 'count', label: l('客户数', 'Customers') }],
    totals: true,
    chart: { kind: 'bar', x: 'productType', measures: ['customers'] },
  },
  { forms },
);

export const customersBySalesperson = defineReport(
  {
    ...base,
    key: 'customersBySalesperson',
    label: l('客户分布（按销售）', 'Customers by salesperson'),
    rows: [{ field: 'salesperson' }],
    measures: [{ key: 'customers', agg: 'count', label: l('客户数', 'Customers') }],
    totals: true,
    chart: { kind: 'bar', x: 'salesperson', measures: ['customers'] },
  },
  { forms },
);

/** Update freshness: customers by the month their information was last updated. */
export const archiveFreshness = defineReport(
  {
    ...base,
    key: 'archiveFreshness',
    label: l('档案更新情况（按月）', 'Archive freshness by month of last update'),
    rows: [{ field: 'lastUpdated', bucket: 'month', key: 'month' }],
    measures: [{ key: 'customers', agg: 'count', label: l('客户数', 'Customers') }],
    totals: true,
    chart: { kind: 'bar', x: 'month', measures: ['customers'] },
  },
  { forms },
);

/** 合作金额 by month of cooperation, from the cooperation history rows. */
export const cooperationByMonth = defineReport(
  {
    ...base,
    key: 'cooperationByMonth',
    label: l('合作金额（按月）', 'Cooperation amount by month'),
    subtable: 'cooperations',
    rows: [{ field: 'cooperations.date', bucket: 'month', key: 'month' }],
    measures: [
      { key: 'amount', agg: 'sum', field: 'cooperations.amount', label: l('合作金额', 'Amount') },
      { key: 'customers', agg: 'distinctCount', field: 'id', label: l('客户数', 'Customers') },
    ],
    totals: true,
    chart: { kind: 'line', x: 'month', measures: ['amount'] },
  },
  { forms },
);
