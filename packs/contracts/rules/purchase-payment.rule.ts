import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

// Purchase payments (F34) against the payment base table (F35): no line paid twice (P-55), instalments (P-54),
// budget consumption (P-53) and each payment recorded on the contract (§2.7 step 5).

const ledger = 'contracts.purchasePaymentLedger';
const budget = 'contracts.budgetLedger';
const fromContract = 'NOT ISBLANK(contractNo)';
const withoutContract = 'ISBLANK(contractNo) AND NOT ISBLANK(budgetRef)';

/**
 * 付款校验 (P-55, GAODE-4): each picked line is refused — by row and name — when it appears twice in the request,
 * is paid already, is held by another running request, when this request pays more than is still unpaid after
 * earlier payments, or when its contract is terminated or completed.
 */
export const checkPaymentLines = defineRule({
  pack: 'contracts',
  key: 'checkPaymentLines',
  name: l('防重复付款校验', 'No line paid twice'),
  order: -20,
  on: { flow: 'contracts.purchasePayment', events: ['submitted'] },
  actions: [
    {
      kind: 'guard',
      forEachRow: 'items',
      refuseWhen: 'COUNTIF(items.ledgerRowRef = ledgerRowRef) > 1',
      message: {
        zh: '第 {row} 行「{asset}」在本单中重复出现',
        en: 'Row {row} ({asset}) appears more than once in this request',
      },
      params: { row: '$row', asset: 'assetName' },
    },
    {
      kind: 'guard',
      forEachRow: 'items',
      lookup: { form: ledger, match: { id: 'ledgerRowRef' } },
      refuseWhen: "$target.paid = 'paid' OR NOT ISBLANK($target.pendingPaymentRef)",
      message: {
        zh: '第 {row} 行「{asset}」已付款或正在其他付款申请中，不能重复付款',
        en: 'Row {row} ({asset}) is paid or in another running payment request already',
      },
      params: { row: '$row', asset: '$target.assetName' },
    },
    {
      kind: 'guard',
      forEachRow: 'items',
      lookup: { form: ledger, match: { id: 'ledgerRowRef' } },
      refuseWhen: 'payAmount > $target.unpaidAmount',
      message: {
        zh: '第 {row} 行「{asset}」本次付款 {pay} 元超过未付金额 {unpaid} 元（已付 {paid} 元）',
        en: 'Row {row} ({asset}) pays {pay}, more than the {unpaid} still unpaid ({paid} paid before)',
      },
      params: {
        row: '$row',
        asset: '$target.assetName',
        pay: 'payAmount',
        unpaid: '$target.unpaidAmount',
        paid: '$target.paidAmount',
      },
    },
    {
      kind: 'guard',
      forEachRow: 'items',
      when: fromContract,
      lookup: { form: 'contracts.contractArchive', match: { contractNo: 'contractNo' }, ifMissing: 'skip' },
      refuseWhen: "$target.contractStatus = 'terminated' OR $target.contractStatus = 'completed'",
      message: {
        zh: '第 {row} 行所属合同 {contract} 已终止或已完成，不能再付款',
        en: 'Row {row}: contract {contract} is terminated or completed and takes no more payments',
      },
      params: { row: '$row', contract: 'contractNo' },
    },
  ],
});

/**
 * 占用底表行与预算: a filed request holds each line (the next request picking it is refused), and a line without a
 * contract commits its amount on its budget line (a contract's instalment is committed by the contract already);
 * over budget is refused. Withdrawn, rejected, returned or terminated, the lines and the budget are freed.
 */
export const holdPaymentLines = defineRule({
  pack: 'contracts',
  key: 'holdPaymentLines',
  name: l('付款申请占用底表行与预算', 'A payment request holds its lines and budget'),
  order: -10,
  on: { flow: 'contracts.purchasePayment', events: ['submitted'] },
  actions: [
    {
      kind: 'writeBack',
      forEachRow: 'items',
      form: ledger,
      mode: 'update',
      match: { id: 'ledgerRowRef' },
      set: { pendingPaymentRef: '$record.id' },
    },
    {
      kind: 'adjust',
      forEachRow: 'items',
      when: withoutContract,
      form: budget,
      match: { id: 'budgetRef' },
      field: 'committedAmount',
      by: 'payAmount',
      changeLog: true,
    },
    {
      kind: 'guard',
      forEachRow: 'items',
      when: withoutContract,
      lookup: { form: budget, match: { id: 'budgetRef' } },
      refuseWhen: '$target.remainingAmount < 0',
      message: {
        zh: '第 {row} 行「{asset}」超出预算科目「{line}」的可用余额（差 {short} 元）',
        en: 'Row {row} ({asset}) exceeds what remains on budget line "{line}" by {short}',
      },
      params: { row: '$row', asset: 'assetName', line: '$target.lineName', short: '0 - $target.remainingAmount' },
    },
  ],
  compensate: { on: ['withdrawn', 'terminated', 'rejected', 'returnedToInitiator'] },
});

/**
 * 付款回写 (P-50, P-54, GAODE-5): the cashier's approval adds each line's amount to what it has been paid, marks it
 * paid or partly paid with a link to this request and frees it; moves the amount from committed to paid on its
 * budget line; and records it on its contract (archive and payment plan).
 */
export const settlePaymentLines = defineRule({
  pack: 'contracts',
  key: 'settlePaymentLines',
  name: l('付款后回写底表、预算与合同', 'A payment settles its lines, budget and contract'),
  on: { flow: 'contracts.purchasePayment', events: ['approved'] },
  actions: [
    {
      kind: 'adjust',
      forEachRow: 'items',
      form: ledger,
      match: { id: 'ledgerRowRef' },
      field: 'paidAmount',
      by: 'payAmount',
      changeLog: true,
    },
    {
      kind: 'writeBack',
      forEachRow: 'items',
      form: ledger,
      mode: 'update',
      match: { id: 'ledgerRowRef' },
      set: {
        paid: "IF($target.paidAmount >= $target.localAmount, 'paid', 'partlyPaid')",
        pendingPaymentRef: 'NULL',
        paymentRef: '$record.id',
      },
      changeLog: true,
    },
    {
      kind: 'adjust',
      forEachRow: 'items',
      when: 'NOT ISBLANK(budgetRef)',
      form: budget,
      match: { id: 'budgetRef' },
      field: 'committedAmount',
      by: '0 - payAmount',
      changeLog: true,
    },
    {
      kind: 'adjust',
      forEachRow: 'items',
      when: 'NOT ISBLANK(budgetRef)',
      form: budget,
      match: { id: 'budgetRef' },
      field: 'paidAmount',
      by: 'payAmount',
      changeLog: true,
    },
    {
      kind: 'adjust',
      forEachRow: 'items',
      when: fromContract,
      form: 'contracts.contractArchive',
      match: { contractNo: 'contractNo' },
      field: 'settledAmount',
      by: 'payAmount',
      ifMissing: 'skip',
      changeLog: true,
    },
    {
      kind: 'adjust',
      forEachRow: 'items',
      when: fromContract,
      form: 'contracts.paymentPlan',
      match: { contractNo: 'contractNo' },
      field: 'paidTotal',
      by: 'payAmount',
      ifMissing: 'skip',
      changeLog: true,
    },
    {
      kind: 'writeBack',
      forEachRow: 'items',
      when: fromContract,
      form: 'contracts.paymentPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      set: { executionStatus: "IF($target.paidTotal >= $target.plannedTotal, 'paid', $target.executionStatus)" },
      ifMissing: 'skip',
    },
  ],
});
