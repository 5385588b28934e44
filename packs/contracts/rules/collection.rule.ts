import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/** Days before a planned collection date the salesperson and the finance contact are reminded. */
export const REMIND_DAYS_BEFORE = 7;

const instalment = { contractNo: 'contractNo', period: 'period' };

const overReceipt = {
  kind: 'guard',
  lookup: { form: 'contracts.collectionInstalment', match: instalment },
  refuseWhen:
    "$target.status = 'cancelled' OR amount > $target.plannedAmount - $target.receivedAmount OR " +
    '-amount > $target.receivedAmount',
  message: l(
    '合同 {contractNo} 第 {period} 期计划 {planned} 元、已收 {received} 元，不能再登记 {amount} 元',
    'Contract {contractNo}, instalment {period}: {planned} planned, {received} received — {amount} cannot be recorded',
  ),
  params: {
    amount: 'amount',
    contractNo: '$target.contractNo',
    period: '$target.period',
    planned: '$target.plannedAmount',
    received: '$target.receivedAmount',
  },
} as const;

/**
 * 回款登记 checked when it is filed: the instalment must exist and not be cancelled, and the money may take it
 * neither past its planned amount nor below nothing received.
 */
export const receiptChecked = defineRule({
  pack: 'contracts',
  key: 'receiptChecked',
  name: l('回款登记校验', 'Check a receipt'),
  on: { flow: 'contracts.collectionReceipt', events: ['submitted'] },
  actions: [overReceipt],
});

/**
 * 回款确认 (F14 实际回款): once confirmed, the receipt adds to the instalment (received amount, status, date), to
 * the plan's received total and to the archive's collected amount — checked again, as other receipts of the same
 * instalment may have been confirmed meanwhile.
 */
export const receiptApplied = defineRule({
  pack: 'contracts',
  key: 'receiptApplied',
  name: l('回款确认计入收款计划', 'Apply a confirmed receipt to its instalment'),
  on: { flow: 'contracts.collectionReceipt', events: ['approved'] },
  actions: [
    overReceipt,
    {
      kind: 'adjust',
      form: 'contracts.collectionInstalment',
      match: instalment,
      field: 'receivedAmount',
      by: 'amount',
    },
    {
      kind: 'writeBack',
      form: 'contracts.collectionInstalment',
      mode: 'update',
      match: instalment,
      set: {
        status:
          "IF($target.receivedAmount >= $target.plannedAmount, 'received', IF($target.receivedAmount > 0, 'partial', 'open'))",
        lastReceivedDate: 'receivedDate',
      },
    },
    {
      kind: 'adjust',
      form: 'contracts.collectionPlan',
      match: { contractNo: 'contractNo' },
      field: 'receivedTotal',
      by: 'amount',
    },
    {
      kind: 'writeBack',
      form: 'contracts.collectionPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      set: { executionStatus: "IF($target.receivedTotal >= $target.plannedTotal, 'collected', 'inProgress')" },
    },
    {
      kind: 'adjust',
      form: 'contracts.contractArchive',
      match: { contractNo: 'contractNo' },
      field: 'settledAmount',
      by: 'amount',
    },
  ],
});

const dueParams = {
  contractNo: 'contractNo',
  customer: 'customerName',
  period: 'period',
  date: "TEXT(plannedDate, 'yyyy-MM-dd')",
  left: 'plannedAmount - receivedAmount',
};

/**
 * 收款提醒: seven days before each planned collection date, at 09:00, the salesperson and the finance contact
 * hear about an instalment still not fully received. One timer per instalment, moved when finance moves the date.
 */
export const collectionDueReminder = defineRule({
  pack: 'contracts',
  key: 'collectionDueReminder',
  name: l('计划回款日前提醒', 'Remind before a planned collection date'),
  on: {
    form: 'contracts.collectionInstalment',
    date: { field: 'plannedDate', days: -REMIND_DAYS_BEFORE, at: '09:00' },
  },
  when: "status IN ['open', 'partial'] AND receivedAmount < plannedAmount",
  actions: [
    {
      kind: 'notify',
      to: '[salesperson, collector]',
      title: l(
        '合同 {contractNo} 第 {period} 期应于 {date} 回款 {left} 元',
        'Contract {contractNo}: instalment {period} of {left} is due on {date}',
      ),
      body: l(
        '客户：{customer}。请跟进回款，到账后由财务登记。',
        'Customer: {customer}. Finance records it when it arrives.',
      ),
      params: dueParams,
      link: '/records/contracts/collectionInstalment',
      category: 'contracts.collectionDue',
    },
  ],
});

/** 逾期提醒: the day after a planned date passed without the money, at 09:00, the same two hear it is overdue. */
export const collectionOverdueReminder = defineRule({
  pack: 'contracts',
  key: 'collectionOverdueReminder',
  name: l('回款逾期提醒', 'Remind when a collection is overdue'),
  on: { form: 'contracts.collectionInstalment', date: { field: 'plannedDate', days: 1, at: '09:00' } },
  when: "status IN ['open', 'partial'] AND receivedAmount < plannedAmount",
  actions: [
    {
      kind: 'notify',
      to: '[salesperson, collector]',
      title: l(
        '合同 {contractNo} 第 {period} 期回款已逾期，未收 {left} 元',
        'Contract {contractNo}: instalment {period} is overdue, {left} outstanding',
      ),
      body: l('客户：{customer}；计划回款日期 {date}。', 'Customer: {customer}; planned for {date}.'),
      params: dueParams,
      link: '/records/contracts/collectionInstalment',
      category: 'contracts.collectionOverdue',
    },
  ],
});
