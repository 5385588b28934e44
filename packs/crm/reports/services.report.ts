import { defineReport } from '@baton/pack';
import { customerArchive } from '../forms/customer-archive.form.ts';
import { customerServiceRecord } from '../forms/customer-service-record.form.ts';
import { l } from '../labels.ts';

// Service statistics (catalog §2.5 reports; issue 10: by customer, service type and satisfaction).
const forms = [customerServiceRecord, customerArchive];
const base = { pack: 'crm', form: { pack: 'crm', key: 'customerServiceRecord' } } as const;
const count = { key: 'services', agg: 'count', label: l('服务次数', 'Services') } as const;

export const servicesByCustomer = defineReport(
  {
    ...base,
    key: 'servicesByCustomer',
    label: l('服务记录（按客户）', 'Services by customer'),
    joins: [{ field: 'customerRef', as: 'customer' }],
    rows: [{ field: 'customer.companyName', key: 'customer' }],
    measures: [count],
    totals: true,
    chart: { kind: 'bar', x: 'customer', measures: ['services'] },
  },
  { forms },
);

/** The classification pairs: pre-/after-sales × free/paid. */
export const servicesByType = defineReport(
  {
    ...base,
    key: 'servicesByType',
    label: l('服务记录（按类型）', 'Services by type'),
    rows: [{ field: 'phase' }],
    columns: [{ field: 'charging' }],
    measures: [count],
    totals: true,
    chart: { kind: 'bar', x: 'phase', series: 'charging', measures: ['services'] },
  },
  { forms },
);

export const servicesBySatisfaction = defineReport(
  {
    ...base,
    key: 'servicesBySatisfaction',
    label: l('客户满意度分布', 'Satisfaction distribution'),
    rows: [{ field: 'satisfaction' }],
    measures: [count],
    totals: true,
    chart: { kind: 'pie', x: 'satisfaction', measures: ['services'] },
  },
  { forms },
);
