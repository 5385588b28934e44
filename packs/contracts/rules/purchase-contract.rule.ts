import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

// Purchase contract → archive, payment plan, payable lines and the budget (catalog §2.7, P-50, P-53, Q360-1).

const undone = ['withdrawn', 'terminated', 'rejected', 'returnedToInitiator'];

/**
 * 预算占用: filing a purchase contract commits its total on the requesting department's budget line; a total the
 * remaining budget cannot cover is refused (nothing of the filing stays). Withdrawn, rejected, returned to the
 * handler or terminated, the commitment is given back (compensation); a resubmission commits again.
 */
export const commitContractBudget = defineRule({
  pack: 'contracts',
  key: 'commitContractBudget',
  name: l('采购合同占用预算', 'A purchase contract commits its budget'),
  order: -10,
  on: { flow: 'contracts.purchaseContract', events: ['submitted'] },
  actions: [
    {
      kind: 'adjust',
      form: 'contracts.budgetLedger',
      match: { id: 'budgetRef' },
      field: 'committedAmount',
      by: 'contractTotal',
      changeLog: true,
    },
    {
      kind: 'guard',
      lookup: { form: 'contracts.budgetLedger', match: { id: 'budgetRef' } },
      refuseWhen: '$target.remainingAmount < 0',
      message: {
        zh: '合同总金额 {amount} 元超出预算科目「{line}」的可用余额 {available} 元，请先申请追加预算',
        en: 'The contract total of {amount} exceeds the {available} remaining on budget line "{line}"; top the budget up first',
      },
      params: {
        amount: 'contractTotal',
        line: '$target.lineName',
        available: '$target.remainingAmount + contractTotal',
      },
    },
  ],
  compensate: { on: undone },
});

/**
 * 归档 (P-50): the approved contract becomes a contract archive record (kind purchase, linked to this request so its
 * opinions are archived with it, P-45) and each instalment of its payment plan a payable line of the payment base
 * table, carrying the contract number, the supplier and the budget line it is paid from.
 */
export const archivePurchaseContract = defineRule({
  pack: 'contracts',
  key: 'archivePurchaseContract',
  name: l('采购合同归档并生成付款计划', 'Archive the purchase contract and its payment plan'),
  on: { flow: 'contracts.purchaseContract', events: ['approved'] },
  actions: [
    {
      kind: 'writeBack',
      form: 'contracts.contractArchive',
      set: {
        kind: "'purchase'",
        contractNo: 'unifiedContractNo',
        contractName: 'projectName',
        contractCategory: "'purchaseService'",
        contractStatus: "'inForce'",
        counterpartyName: 'supplierName',
        counterpartyCode: 'supplierCode',
        ourUnit: '$initiator.unitId',
        handlerDept: 'applicantDept',
        handler: 'handler',
        signDate: 'effectiveDate1',
        contractAmount: 'contractTotal',
        direction: "'payment'",
        settledAmount: '0',
        termStart: 'COALESCE(termStart, effectiveDate1)',
        termEnd: 'termEnd',
        productSummary: 'productName',
        supplierRef: 'supplierRef',
        budgetRef: 'budgetRef',
        purchaseContractRef: '$record.id',
      },
      changeLog: true,
    },
    {
      kind: 'writeBack',
      forEachRow: 'paymentPlanItems',
      form: 'contracts.purchasePaymentLedger',
      set: {
        company: '$initiator.unitId',
        supplierRef: 'supplierRef',
        assetCategory: "'serviceInstalment'",
        assetName: "productName & ' 第 ' & TEXT(seq, '0') & ' 期'",
        project: 'projectName',
        quantity: '1',
        unitPrice: 'amount',
        currency: 'currencyUnit',
        rate: '1',
        paid: "'unpaid'",
        paidAmount: '0',
        contractNo: 'unifiedContractNo',
        period: 'seq',
        dueDate: 'plannedDate',
        purchaseContractRef: '$record.id',
        budgetRef: 'budgetRef',
      },
    },
  ],
});

/** F17: a purchase contract entering the archive (from F15 or by hand) opens its payment plan. */
export const openPaymentPlan = defineRule({
  pack: 'contracts',
  key: 'openPaymentPlan',
  name: l('新采购合同建立付款计划', 'A new purchase contract opens its payment plan'),
  on: { form: 'contracts.contractArchive', events: ['created'] },
  when: "kind = 'purchase'",
  actions: [
    {
      kind: 'writeBack',
      form: 'contracts.paymentPlan',
      set: {
        contractRef: '$record.id',
        contractNo: 'contractNo',
        projectName: 'contractName',
        executionStatus: "'inProgress'",
        productType: 'productSummary',
        signingUnit: 'ourUnit',
        signingDept: 'handlerDept',
        signer: 'handler',
        signDate: 'signDate',
        counterpartyRef: 'supplierRef',
        contractTotal: 'contractAmount',
        plannedTotal: 'contractAmount',
        paidTotal: '0',
      },
    },
  ],
});

/**
 * 终止或完成释放预算: when a purchase contract is terminated or completed (by an approved change, a completion
 * confirmation or by hand), what it committed and did not pay goes back to its budget line, and its payment plan
 * closes. Its unpaid lines can no longer be paid (a guard on purchase payments).
 */
export const releaseContractBudget = defineRule({
  pack: 'contracts',
  key: 'releaseContractBudget',
  name: l(
    '采购合同终止或完成时释放未付预算',
    'A terminated or completed purchase contract gives back its unpaid budget',
  ),
  on: { form: 'contracts.contractArchive', events: ['updated'] },
  when: "kind = 'purchase' AND (contractStatus = 'terminated' OR contractStatus = 'completed') AND $before.contractStatus != 'terminated' AND $before.contractStatus != 'completed'",
  actions: [
    {
      kind: 'adjust',
      when: 'NOT ISBLANK(budgetRef)',
      form: 'contracts.budgetLedger',
      match: { id: 'budgetRef' },
      field: 'committedAmount',
      by: 'settledAmount - contractAmount',
      changeLog: true,
    },
    {
      kind: 'writeBack',
      form: 'contracts.paymentPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      set: { executionStatus: "'closed'" },
      ifMissing: 'skip',
      changeLog: true,
    },
  ],
});

/**
 * 变更金额: an approved change of a purchase contract's amount moves its commitment by the difference — refused when
 * the budget cannot cover an increase — and the payment plan's totals with it.
 */
export const recommitOnAmountChange = defineRule({
  pack: 'contracts',
  key: 'recommitOnAmountChange',
  name: l('采购合同金额变更调整预算占用', 'A changed purchase contract amount moves its commitment'),
  on: { form: 'contracts.contractArchive', events: ['updated'] },
  when: "kind = 'purchase' AND contractAmount != $before.contractAmount AND contractStatus != 'terminated' AND contractStatus != 'completed'",
  actions: [
    {
      kind: 'adjust',
      when: 'NOT ISBLANK(budgetRef)',
      form: 'contracts.budgetLedger',
      match: { id: 'budgetRef' },
      field: 'committedAmount',
      by: 'contractAmount - $before.contractAmount',
      changeLog: true,
    },
    {
      kind: 'guard',
      when: 'NOT ISBLANK(budgetRef)',
      lookup: { form: 'contracts.budgetLedger', match: { id: 'budgetRef' } },
      refuseWhen: '$target.remainingAmount < 0',
      message: {
        zh: '变更后的合同金额超出预算科目「{line}」的可用余额（差 {short} 元）',
        en: 'The changed amount exceeds what remains on budget line "{line}" by {short}',
      },
      params: { line: '$target.lineName', short: '0 - $target.remainingAmount' },
    },
    {
      kind: 'writeBack',
      form: 'contracts.paymentPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      set: { contractTotal: 'contractAmount', plannedTotal: 'contractAmount' },
      ifMissing: 'skip',
      changeLog: true,
    },
  ],
});
