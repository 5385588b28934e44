import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

const archive = { form: 'contracts.contractArchive', match: { id: 'contractRef' } } as const;
const has = (scope: string) => `CONTAINS(changeScope, '${scope}')`;
/** The payable line (F35) of a purchase contract's instalment with the number of this payment-term row. */
const payableLine = {
  form: 'contracts.purchasePaymentLedger',
  match: { contractNo: 'contractNo', period: '$row' },
  ifMissing: 'skip',
} as const;
const purchaseTerms = `contractKind = 'purchase' AND ${has('paymentTerms')}`;

/**
 * What a change may not do, checked when it is filed and again at each approval (receipts and payments may have
 * arrived meanwhile): change a finished contract, bring the amount below what was already collected or paid, plan
 * an instalment below what it already received or paid, or change an instalment a payment request is paying.
 */
export const contractChangeChecked = defineRule({
  pack: 'contracts',
  key: 'contractChangeChecked',
  name: l('合同变更校验', 'Check a contract change'),
  on: { flow: 'contracts.contractChange', events: ['submitted', 'nodeCompleted'] },
  actions: [
    {
      kind: 'guard',
      lookup: archive,
      refuseWhen: "$target.contractStatus IN ['completed', 'terminated']",
      message: l('合同 {contractNo} 已完成或终止，不能变更', 'Contract {contractNo} is completed or terminated'),
      params: { contractNo: '$target.contractNo' },
    },
    {
      kind: 'guard',
      lookup: archive,
      refuseWhen: `${has('amount')} AND amount < $target.settledAmount`,
      message: l(
        '变更后合同金额 {amount} 元低于已收/已付金额 {settled} 元',
        'The new amount {amount} is below the {settled} already collected or paid',
      ),
      params: { amount: 'amount', settled: '$target.settledAmount' },
    },
    {
      kind: 'guard',
      forEachRow: 'collectionTerms',
      when: has('collectionTerms'),
      lookup: {
        form: 'contracts.collectionInstalment',
        match: { contractNo: 'contractNo', period: '$row' },
        ifMissing: 'skip',
      },
      refuseWhen: 'amount < $target.receivedAmount',
      message: l(
        '第 {period} 期应收金额 {amount} 元低于该期已收金额 {received} 元',
        'Instalment {period}: {amount} is below the {received} already received',
      ),
      params: { period: '$row', amount: 'amount', received: '$target.receivedAmount' },
    },
    {
      kind: 'guard',
      forEachRow: 'paymentTerms',
      when: purchaseTerms,
      lookup: payableLine,
      refuseWhen: 'amount < $target.paidAmount',
      message: l(
        '第 {period} 期应付金额 {amount} 元低于该期已付金额 {paid} 元',
        'Instalment {period}: {amount} is below the {paid} already paid',
      ),
      params: { period: '$row', amount: 'amount', paid: '$target.paidAmount' },
    },
    {
      kind: 'guard',
      forEachRow: 'paymentTerms',
      when: purchaseTerms,
      lookup: payableLine,
      refuseWhen: 'NOT ISBLANK($target.pendingPaymentRef) AND amount != $target.localAmount',
      message: l(
        '第 {period} 期正在付款申请中，付款完成或撤回后才能变更其金额',
        'Instalment {period} is being paid by a running request: change its amount once that is done or withdrawn',
      ),
      params: { period: '$row' },
    },
  ],
});

/**
 * 变更生效 (F13/F16 approved): the archive takes the new counterparty, amount and term where the change names
 * them, becomes 已变更 and counts the change; the change log keeps before and after and drills through to this
 * request (P-52). For a sales contract whose collection terms changed, each term row updates the instalment of the
 * same number or adds it (a row of 0 cancels the instalment), and the plan's totals follow. A purchase contract's
 * payment terms do the same to its payable lines (F35) and its payment plan (F17): a line added takes the supplier,
 * budget line and approval request from the archive record the first action has just updated (`$actions.archive`).
 */
export const contractChangeApplied = defineRule({
  pack: 'contracts',
  key: 'contractChangeApplied',
  name: l('合同变更生效：更新合同信息表', 'Contract change approved: update the archive'),
  on: { flow: 'contracts.contractChange', events: ['approved'] },
  actions: [
    {
      kind: 'writeBack',
      as: 'archive',
      form: 'contracts.contractArchive',
      mode: 'update',
      match: { id: 'contractRef' },
      changeLog: true,
      set: {
        counterpartyName: `IF(${has('counterparty')}, TEXTJOIN('、', counterparties.name), $target.counterpartyName)`,
        contractAmount: `IF(${has('amount')}, amount, $target.contractAmount)`,
        termStart: `IF(${has('term')}, COALESCE(termStart, $target.termStart), $target.termStart)`,
        termEnd: `IF(${has('term')}, COALESCE(termEnd, $target.termEnd), $target.termEnd)`,
        contractStatus: "'changed'",
        changeCount: '$target.changeCount + 1',
        lastChangeNo: 'serialNo',
      },
    },
    {
      kind: 'writeBack',
      when: `contractKind = 'sales' AND ${has('collectionTerms')}`,
      forEachRow: 'collectionTerms',
      form: 'contracts.collectionInstalment',
      mode: 'upsert',
      match: { contractNo: 'contractNo', period: '$row' },
      set: {
        title:
          "contractNo & ' ' & COALESCE($target.customerName, currentCounterparty) & ' 第' & TEXT($row) & '期 ' & item",
        contractName: 'COALESCE($target.contractName, contractName)',
        customerName: `IF(${has('counterparty')}, TEXTJOIN('、', counterparties.name), COALESCE($target.customerName, currentCounterparty))`,
        milestone: 'item',
        plannedDate: 'dueDate',
        plannedAmount: 'amount',
        receivedAmount: 'COALESCE($target.receivedAmount, 0)',
        condition: 'condition',
        status:
          "IF(amount = 0, 'cancelled', IF($target.receivedAmount >= amount, 'received', IF($target.receivedAmount > 0, 'partial', 'open')))",
        salesperson: 'COALESCE($target.salesperson, handler)',
      },
    },
    {
      kind: 'writeBack',
      when: "contractKind = 'sales'",
      form: 'contracts.collectionPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      ifMissing: 'skip',
      set: {
        customerName: `IF(${has('counterparty')}, TEXTJOIN('、', counterparties.name), $target.customerName)`,
        contractTotal: `IF(${has('amount')}, amount, $target.contractTotal)`,
        plannedTotal: `IF(${has('collectionTerms')}, SUM(collectionTerms.amount), $target.plannedTotal)`,
      },
    },
    {
      kind: 'writeBack',
      when: purchaseTerms,
      forEachRow: 'paymentTerms',
      form: 'contracts.purchasePaymentLedger',
      mode: 'upsert',
      match: { contractNo: 'contractNo', period: '$row' },
      changeLog: true,
      set: {
        company: 'COALESCE($target.company, $actions.archive.ourUnit)',
        supplierRef: 'COALESCE($target.supplierRef, $actions.archive.supplierRef)',
        assetCategory: "'serviceInstalment'",
        assetName: "COALESCE($target.assetName, $actions.archive.productSummary & ' 第 ' & TEXT($row, '0') & ' 期')",
        project: 'COALESCE($target.project, $actions.archive.contractName)',
        quantity: '1',
        unitPrice: 'amount',
        rate: 'COALESCE($target.rate, 1)',
        paidAmount: 'COALESCE($target.paidAmount, 0)',
        paid: "IF(amount = 0, 'cancelled', IF($target.paidAmount >= amount, 'paid', IF($target.paidAmount > 0, 'partlyPaid', 'unpaid')))",
        dueDate: 'dueDate',
        purchaseContractRef: 'COALESCE($target.purchaseContractRef, $actions.archive.purchaseContractRef)',
        budgetRef: 'COALESCE($target.budgetRef, $actions.archive.budgetRef)',
      },
    },
    {
      kind: 'writeBack',
      when: purchaseTerms,
      form: 'contracts.paymentPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      ifMissing: 'skip',
      changeLog: true,
      set: { plannedTotal: 'SUM(paymentTerms.amount)' },
    },
  ],
});
