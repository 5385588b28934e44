import { defineReport } from '@baton/pack';
import { customerArchive } from '../forms/customer-archive.form.ts';
import { opportunity } from '../forms/opportunity.form.ts';
import { l } from '../labels.ts';
import { STALE_AFTER_DAYS } from '../rules/crm-reminders.rule.ts';

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

/**
 * 久未跟进的商机 (P-64): open opportunities (not won or lost) whose last follow-up — or entry, without one — is
 * more than N days back, N a parameter (default 30, as the Monday reminder), by sales manager A: the list sales
 * management reassigns from (drill into a figure, then 转交).
 */
export const staleOpportunities = defineReport(
  {
    ...base,
    key: 'staleOpportunities',
    label: l('久未跟进的商机', 'Stale opportunities'),
    description: l(
      '进行中且超过 N 天没有跟进的商机（无跟进记录时按录入日期），供销售管理部重新分配',
      'Open opportunities without a follow-up (or since entry) for more than N days, for sales management to reassign',
    ),
    params: [
      {
        key: 'days',
        type: 'number',
        label: l('未跟进天数', 'Days without a follow-up'),
        default: STALE_AFTER_DAYS,
        min: 1,
        max: 365,
      },
    ],
    where: "stage NOT IN ['won', 'lost'] AND COALESCE(MAX(followUps.date), enteredAt) < $today - $days",
    rows: [{ field: 'salesManagerA' }],
    measures: [count, amount],
    totals: true,
    drill: { columns: ['customerName', 'stage', 'enteredAt', 'salesManagerA', 'salesManagerB', 'expectedAmount'] },
    chart: { kind: 'bar', x: 'salesManagerA', measures: ['opportunities'] },
  },
  { forms },
);
