import { defineReport } from '@baton/pack';
import { collectionPlan } from '../forms/collection-plan.form.ts';
import { contractArchive } from '../forms/contract-archive.form.ts';
import { l } from '../labels.ts';

// Contract execution (catalog §2.6 reports: contracts by status, customer and product; gross margin; changes per
// contract). Each member sees the figures of the records their scopes reach.
const forms = [contractArchive, collectionPlan];
const archive = { pack: 'contracts', form: { pack: 'contracts', key: 'contractArchive' } } as const;
const count = { key: 'contracts', agg: 'count', label: l('合同数', 'Contracts') } as const;
const amount = { key: 'amount', agg: 'sum', field: 'contractAmount', label: l('合同金额', 'Contract amount') } as const;

/** Every contract, sales and purchase, by its status. */
export const contractsByStatus = defineReport(
  {
    ...archive,
    key: 'contractsByStatus',
    label: l('合同执行状态', 'Contracts by status'),
    rows: [{ field: 'contractStatus' }],
    columns: [{ field: 'kind' }],
    measures: [count, amount],
    totals: true,
    chart: { kind: 'bar', x: 'contractStatus', series: 'kind', measures: ['contracts'] },
  },
  { forms },
);

/** 合同执行情况: each sales contract with what was collected and what is still outstanding. */
export const salesContractExecution = defineReport(
  {
    ...archive,
    key: 'salesContractExecution',
    label: l('销售合同执行情况', 'Sales contract execution'),
    where: "kind = 'sales'",
    rows: [{ field: 'contractNo' }, { field: 'counterpartyName', key: 'customer' }],
    measures: [
      amount,
      { key: 'collected', agg: 'sum', field: 'settledAmount', label: l('已收金额', 'Collected') },
      { key: 'outstanding', agg: 'sum', field: 'outstandingAmount', label: l('未收金额', 'Outstanding') },
      { key: 'changes', agg: 'sum', field: 'changeCount', label: l('变更次数', 'Changes') },
    ],
    computed: [
      {
        key: 'collectedRate',
        expr: 'IF(amount > 0, ROUND(collected / amount * 100, 1), NULL)',
        label: l('回款率（%）', 'Collected (%)'),
      },
    ],
    sort: [{ by: 'contractNo' }],
    totals: true,
    drill: {
      columns: ['contractNo', 'contractName', 'counterpartyName', 'contractStatus', 'contractAmount', 'settledAmount'],
    },
    chart: { kind: 'bar', x: 'contractNo', measures: ['collected', 'outstanding'] },
  },
  { forms },
);

/** Sales contracts by customer and by product type. */
export const salesContractsByCustomer = defineReport(
  {
    ...archive,
    key: 'salesContractsByCustomer',
    label: l('销售合同（按客户）', 'Sales contracts by customer'),
    where: "kind = 'sales'",
    rows: [{ field: 'counterpartyName', key: 'customer' }],
    measures: [count, amount],
    sort: [{ by: 'amount', dir: 'desc' }],
    totals: true,
    chart: { kind: 'bar', x: 'customer', measures: ['amount'] },
  },
  { forms },
);

export const salesContractsByProduct = defineReport(
  {
    ...archive,
    key: 'salesContractsByProduct',
    label: l('销售合同（按产品类型）', 'Sales contracts by product type'),
    where: "kind = 'sales'",
    rows: [{ field: 'productType' }],
    measures: [count, amount],
    totals: true,
    chart: { kind: 'pie', x: 'productType', measures: ['amount'] },
  },
  { forms },
);

/** 毛利率 by product type, from the collection plans (F14 contract total and gross profit). */
export const grossMarginByProduct = defineReport(
  {
    pack: 'contracts',
    form: { pack: 'contracts', key: 'collectionPlan' },
    key: 'grossMarginByProduct',
    label: l('合同毛利（按产品类型）', 'Gross margin by product type'),
    rows: [{ field: 'productType' }],
    measures: [
      { key: 'contracts', agg: 'count', label: l('合同数', 'Contracts') },
      { key: 'total', agg: 'sum', field: 'contractTotal', label: l('合同总金额', 'Contract total') },
      { key: 'profit', agg: 'sum', field: 'grossProfit', label: l('毛利额', 'Gross profit') },
    ],
    computed: [
      {
        key: 'margin',
        expr: 'IF(total > 0, ROUND(profit / total * 100, 2), NULL)',
        label: l('毛利率（%）', 'Gross margin (%)'),
      },
    ],
    totals: true,
    chart: { kind: 'bar', x: 'productType', measures: ['profit'] },
  },
  { forms },
);
