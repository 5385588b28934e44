import { defineReport } from '@baton/pack';
import { customerArchive } from '../forms/customer-archive.form.ts';
import { opportunity } from '../forms/opportunity.form.ts';
import { l } from '../labels.ts';

// Opportunity statistics (catalog §2.4 reports; issue 10: by stage, source, industry and month).
const forms = [opportunity, customerArchive];
const base = { pack: 'crm', form: { pack: 'crm', key: 'opportunity' } } as const;
const count = { key: 'opportunities', agg: 'count', label: l('商机数', 'Opportunities') } as const;
const amount = { key: 'amount', agg: 'sum', field: 'expectedAmount', label: l('预计金额', 'Expected amount') } as const;

/** The funnel: opportunities and their expected amount per stage. */
export const opportunitiesByStage = defineReport(
  {
    ...base,
    key: 'opportunitiesByStage',
    label: l('商机漏斗（按阶段）', 'Opportunity funnel by stage'),
    rows: [{ field: 'stage' }],
    measures: [count, amount],
    totals: true,
    chart: { kind: 'funnel', x: 'stage', measures: ['opportunities'] },
  },
  { forms },
);

export const opportunitiesBySource = defineReport(
  {
    ...base,
    key: 'opportunitiesBySource',
    label: l('商机来源', 'Opportunities by source'),
    rows: [{ field: 'customerSource' }],
    measures: [count, amount, { key: 'won', agg: 'count', where: "stage = 'won'", label: l('赢单', 'Won') }],
    totals: true,
    chart: { kind: 'pie', x: 'customerSource', measures: ['opportunities'] },
  },
  { forms },
);

export const opportunitiesByIndustry = defineReport(
  {
    ...base,
    key: 'opportunitiesByIndustry',
    label: l('商机行业分布', 'Opportunities by industry'),
    rows: [{ field: 'industryL1' }],
    measures: [count, amount],
    totals: true,
    chart: { kind: 'bar', x: 'industryL1', measures: ['opportunities'] },
  },
  { forms },
);

export const opportunitiesByMonth = defineReport(
  {
    ...base,
    key: 'opportunitiesByMonth',
    label: l('商机录入（按月）', 'Opportunities entered by month'),
    rows: [{ field: 'enteredAt', bucket: 'month', key: 'month' }],
    columns: [{ field: 'stage' }],
    measures: [count],
    totals: true,
    chart: { kind: 'line', x: 'month', measures: ['opportunities'] },
  },
  { forms },
);
