import { defineReport } from '@baton/pack';
import { collectionInstalment } from '../forms/collection-plan.form.ts';
import { collectionReceipt } from '../forms/collection-receipt.form.ts';
import { l } from '../labels.ts';

// Collections (catalog §2.6 reports: planned versus actual versus outstanding by period; due and overdue).
// Overdue is decided against the day the report runs ($today, China time).
const forms = [collectionInstalment, collectionReceipt];
const instalments = { pack: 'contracts', form: { pack: 'contracts', key: 'collectionInstalment' } } as const;
const open = "status IN ['open', 'partial'] AND receivedAmount < plannedAmount";
const outstanding = { agg: 'sum', field: 'outstanding' } as const;

/** 应收款: what each customer still owes, split into overdue and not yet due. */
export const collectionsDue = defineReport(
  {
    ...instalments,
    key: 'collectionsDue',
    label: l('应收与逾期（按客户）', 'Collections due and overdue by customer'),
    where: open,
    rows: [{ field: 'customerName', key: 'customer' }],
    measures: [
      { key: 'lines', agg: 'count', label: l('未收期数', 'Open instalments') },
      { key: 'outstanding', ...outstanding, label: l('未收金额', 'Outstanding') },
      { key: 'overdue', ...outstanding, where: 'plannedDate < $today', label: l('已逾期', 'Overdue') },
      { key: 'overdueLines', agg: 'count', where: 'plannedDate < $today', label: l('逾期期数', 'Overdue instalments') },
      { key: 'notDue', ...outstanding, where: 'plannedDate >= $today', label: l('未到期', 'Not yet due') },
    ],
    sort: [{ by: 'outstanding', dir: 'desc' }],
    totals: true,
    drill: {
      columns: ['contractNo', 'customerName', 'period', 'plannedDate', 'plannedAmount', 'receivedAmount', 'status'],
    },
    chart: { kind: 'bar', x: 'customer', measures: ['overdue', 'notDue'] },
  },
  { forms },
);

/** 逾期明细: every overdue instalment, oldest first. */
export const overdueInstalments = defineReport(
  {
    ...instalments,
    key: 'overdueInstalments',
    label: l('逾期回款明细', 'Overdue instalments'),
    where: `${open} AND plannedDate < $today`,
    rows: [
      { field: 'plannedDate' },
      { field: 'contractNo' },
      { field: 'customerName', key: 'customer' },
      { field: 'period' },
    ],
    measures: [
      { key: 'planned', agg: 'sum', field: 'plannedAmount', label: l('计划回款', 'Planned') },
      { key: 'outstanding', ...outstanding, label: l('未收金额', 'Outstanding') },
    ],
    sort: [{ by: 'plannedDate' }, { by: 'contractNo' }],
    totals: true,
  },
  { forms },
);

/** 回款计划执行: planned, received and outstanding by the month each instalment is planned for. */
export const collectionsByMonth = defineReport(
  {
    ...instalments,
    key: 'collectionsByMonth',
    label: l('计划与实际回款（按计划月份）', 'Planned and received by planned month'),
    where: "status != 'cancelled'",
    rows: [{ field: 'plannedDate', bucket: 'month', key: 'month' }],
    measures: [
      { key: 'planned', agg: 'sum', field: 'plannedAmount', label: l('计划回款', 'Planned') },
      { key: 'received', agg: 'sum', field: 'receivedAmount', label: l('实际回款', 'Received') },
      { key: 'outstanding', ...outstanding, label: l('未回款', 'Outstanding') },
    ],
    totals: true,
    chart: { kind: 'bar', x: 'month', measures: ['planned', 'received'] },
  },
  { forms },
);

/** 回款统计: money actually received, by the month it arrived. */
export const receivedByMonth = defineReport(
  {
    pack: 'contracts',
    form: { pack: 'contracts', key: 'collectionReceipt' },
    key: 'receivedByMonth',
    label: l('实际回款（按月）', 'Received by month'),
    params: [{ key: 'period', type: 'dateRange', label: l('回款日期', 'Received between') }],
    filters: [{ field: 'receivedDate', param: 'period' }],
    rows: [{ field: 'receivedDate', bucket: 'month', key: 'month' }],
    measures: [
      { key: 'amount', agg: 'sum', field: 'amount', label: l('回款金额', 'Received') },
      { key: 'receipts', agg: 'count', label: l('回款笔数', 'Receipts') },
      { key: 'contracts', agg: 'distinctCount', field: 'contractNo', label: l('合同数', 'Contracts') },
    ],
    totals: true,
    chart: { kind: 'line', x: 'month', measures: ['amount'] },
  },
  { forms },
);
