import { defineReport } from '@baton/pack';
import { budgetLedger } from '../forms/budget-ledger.form.ts';
import { contractArchive } from '../forms/contract-archive.form.ts';
import { purchasePayment } from '../forms/purchase-payment.form.ts';
import { purchasePaymentLedger } from '../forms/purchase-payment-ledger.form.ts';
import { supplierArchive } from '../forms/supplier-archive.form.ts';
import { l } from '../labels.ts';

// Purchase-side statistics (catalog §2.7 and §2.16 reports; issue 11): payments by supplier and month, budget
// execution per department with drill-through, payables planned/paid/unpaid, purchase contract execution, supplier
// scores. Each is scoped to the viewer's read scopes on its form.

const forms = [budgetLedger, contractArchive, purchasePayment, purchasePaymentLedger, supplierArchive];
const form = (key: string) => ({ pack: 'contracts', form: { pack: 'contracts', key } }) as const;

/** 付款统计: what approved purchase payments paid, supplier × month of payment (the cashier's time). */
export const paymentsBySupplierMonth = defineReport(
  {
    ...form('purchasePayment'),
    key: 'paymentsBySupplierMonth',
    label: l('采购付款（按供应商、月份）', 'Purchase payments by supplier and month'),
    subtable: 'items',
    where: "state = 'approved'",
    params: [{ key: 'period', type: 'dateRange', label: l('付款期间', 'Paid in') }],
    filters: [{ field: 'paidAt', param: 'period' }],
    rows: [{ field: 'items.supplierName', key: 'supplier', label: l('供应商', 'Supplier') }],
    columns: [{ field: 'paidAt', bucket: 'month', key: 'month', label: l('付款月份', 'Month') }],
    measures: [
      { key: 'amount', agg: 'sum', field: 'items.payAmount', label: l('付款金额', 'Paid') },
      { key: 'lines', agg: 'count', label: l('付款行数', 'Lines') },
    ],
    totals: true,
    drill: {
      columns: ['serialNo', 'paidAt', 'items.supplierName', 'items.assetName', 'items.contractNo', 'items.payAmount'],
    },
    chart: { kind: 'bar', x: 'supplier', measures: ['amount'] },
  },
  { forms },
);

/**
 * 预算执行 (P-74, Q360-1): per department and year, budget, committed (contracts and payments in progress), paid
 * and remaining, with the execution rate. A figure drills to the budget lines; a line's history lists every contract
 * and payment that moved it, each linked to its request.
 */
export const budgetExecution = defineReport(
  {
    ...form('budgetLedger'),
    key: 'budgetExecution',
    label: l('预算执行情况（按部门）', 'Budget execution by department'),
    params: [{ key: 'department', type: 'department', label: l('部门', 'Department') }],
    filters: [{ field: 'department', param: 'department' }],
    rows: [
      { field: 'year', label: l('年度', 'Year') },
      { field: 'department', label: l('部门', 'Department') },
    ],
    measures: [
      { key: 'budget', agg: 'sum', field: 'budgetAmount', label: l('年度预算', 'Budget') },
      { key: 'committed', agg: 'sum', field: 'committedAmount', label: l('已占用', 'Committed') },
      { key: 'paid', agg: 'sum', field: 'paidAmount', label: l('已支付', 'Paid') },
      { key: 'remaining', agg: 'sum', field: 'remainingAmount', label: l('可用余额', 'Remaining') },
    ],
    computed: [
      {
        key: 'rate',
        expr: 'IF(budget > 0, ROUND((committed + paid) / budget * 100, 1), 0)',
        label: l('执行率（%）', 'Execution rate (%)'),
      },
    ],
    totals: true,
    drill: {
      columns: ['year', 'department', 'lineName', 'budgetAmount', 'committedAmount', 'paidAmount', 'remainingAmount'],
    },
    chart: { kind: 'bar', x: 'department', measures: ['committed', 'paid', 'remaining'] },
  },
  { forms },
);

/** 预算消耗明细: the payable lines per budget department — planned, paid, unpaid — drilling to each line. */
export const budgetConsumption = defineReport(
  {
    ...form('purchasePaymentLedger'),
    key: 'budgetConsumption',
    label: l('预算消耗（按部门、供应商）', 'Budget consumption by department and supplier'),
    joins: [{ field: 'budgetRef', as: 'budget' }],
    where: 'NOT ISBLANK(budgetRef)',
    rows: [
      { field: 'budget.department', key: 'department', label: l('预算部门', 'Department') },
      { field: 'supplierName', key: 'supplier', label: l('供应商', 'Supplier') },
    ],
    measures: [
      { key: 'planned', agg: 'sum', field: 'localAmount', label: l('应付金额', 'Payable') },
      { key: 'paid', agg: 'sum', field: 'paidAmount', label: l('已付金额', 'Paid') },
      { key: 'unpaid', agg: 'sum', field: 'unpaidAmount', label: l('未付金额', 'Unpaid') },
      { key: 'lines', agg: 'count', label: l('行数', 'Lines') },
    ],
    subtotals: true,
    totals: true,
    drill: {
      columns: ['supplierName', 'assetName', 'contractNo', 'period', 'localAmount', 'paidAmount', 'paid', 'paymentRef'],
    },
  },
  { forms },
);

/** 应付情况 (§2.7 payments planned, paid and outstanding; §2.16 paid vs unpaid): base-table lines per supplier. */
export const payablesBySupplier = defineReport(
  {
    ...form('purchasePaymentLedger'),
    key: 'payablesBySupplier',
    label: l('应付情况（按供应商）', 'Payables by supplier'),
    rows: [{ field: 'supplierName', key: 'supplier', label: l('供应商', 'Supplier') }],
    columns: [{ field: 'paid', key: 'status', label: l('付款情况', 'Status') }],
    measures: [
      { key: 'planned', agg: 'sum', field: 'localAmount', label: l('应付金额', 'Payable') },
      { key: 'paid', agg: 'sum', field: 'paidAmount', label: l('已付金额', 'Paid') },
      { key: 'unpaid', agg: 'sum', field: 'unpaidAmount', label: l('未付金额', 'Unpaid') },
      { key: 'lines', agg: 'count', label: l('行数', 'Lines') },
    ],
    totals: true,
    chart: { kind: 'bar', x: 'supplier', measures: ['paid', 'unpaid'] },
  },
  { forms },
);

/** 采购合同执行情况: purchase contracts by status — count, amount, paid so far and outstanding. */
export const purchaseContractExecution = defineReport(
  {
    ...form('contractArchive'),
    key: 'purchaseContractExecution',
    label: l('采购合同执行情况', 'Purchase contract execution'),
    where: "kind = 'purchase'",
    rows: [
      { field: 'contractStatus', label: l('合同状态', 'Status') },
      { field: 'counterpartyName', key: 'supplier', label: l('供应商', 'Supplier') },
    ],
    measures: [
      { key: 'contracts', agg: 'count', label: l('合同数', 'Contracts') },
      { key: 'amount', agg: 'sum', field: 'contractAmount', label: l('合同金额', 'Amount') },
      { key: 'paid', agg: 'sum', field: 'settledAmount', label: l('已付金额', 'Paid') },
      { key: 'outstanding', agg: 'sum', field: 'outstandingAmount', label: l('未付金额', 'Outstanding') },
    ],
    computed: [
      {
        key: 'paidRate',
        expr: 'IF(amount > 0, ROUND(paid / amount * 100, 1), 0)',
        label: l('付款进度（%）', 'Paid (%)'),
      },
    ],
    subtotals: true,
    totals: true,
    drill: {
      columns: ['contractNo', 'contractName', 'counterpartyName', 'contractAmount', 'settledAmount', 'termEnd'],
    },
  },
  { forms },
);

/** 供应商评分 (§2.7 supplier scores): the average of each evaluated supplier's evaluations. */
export const supplierScores = defineReport(
  {
    ...form('supplierArchive'),
    key: 'supplierScores',
    label: l('供应商评分', 'Supplier scores'),
    where: 'evaluationCount > 0',
    rows: [{ field: 'supplierName', key: 'supplier', label: l('供应商', 'Supplier') }],
    measures: [
      { key: 'score', agg: 'max', field: 'averageScore', label: l('平均得分', 'Average score') },
      { key: 'evaluations', agg: 'sum', field: 'evaluationCount', label: l('评价次数', 'Evaluations') },
    ],
    sort: [{ by: 'score', dir: 'desc' }],
    chart: { kind: 'bar', x: 'supplier', measures: ['score'] },
  },
  { forms },
);
