import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 合同生效 (F12 approved): the collection plan (F14) with one instalment per payment term, then the contract
 * archive record (with a change-log entry that drills through to the request). The archive comes last so that
 * `linkPlanToArchive`, on its creation, finds the plan to link.
 */
export const salesContractApproved = defineRule({
  pack: 'contracts',
  key: 'salesContractApproved',
  name: l(
    '销售合同生效：写入合同信息表和收款计划',
    'Sales contract approved: archive it and create its collection plan',
  ),
  on: { flow: 'contracts.salesContract', events: ['approved'] },
  actions: [
    {
      kind: 'writeBack',
      form: 'contracts.collectionPlan',
      mode: 'insert',
      set: {
        contractNo: 'contractNo',
        salesContract: '$record.id',
        projectName: 'contractName',
        executionStatus: "'inProgress'",
        productType: 'productType',
        contractType: "'salesService'",
        signingUnit: 'signingUnit',
        signingDept: 'salesDept',
        signer: 'salesperson',
        signDate: 'signDate',
        customerName: 'customerName',
        contractTotal: 'contractAmount',
        grossProfit: 'grossProfit',
        collector: 'collector',
        plannedTotal: 'SUM(paymentTerms.amount)',
        receivedTotal: '0',
      },
    },
    {
      kind: 'writeBack',
      forEachRow: 'paymentTerms',
      form: 'contracts.collectionInstalment',
      mode: 'insert',
      set: {
        title: "contractNo & ' ' & customerName & ' 第' & TEXT($row) & '期 ' & milestone",
        contractNo: 'contractNo',
        contractName: 'contractName',
        customerName: 'customerName',
        salesContract: '$record.id',
        period: '$row',
        milestone: 'milestone',
        plannedDate: 'plannedDate',
        method: 'method',
        plannedAmount: 'amount',
        receivedAmount: '0',
        condition: 'condition',
        status: "'open'",
        salesperson: 'salesperson',
        collector: 'collector',
      },
    },
    {
      kind: 'writeBack',
      form: 'contracts.contractArchive',
      mode: 'insert',
      changeLog: true,
      set: {
        kind: "'sales'",
        contractNo: 'contractNo',
        contractName: 'contractName',
        contractCategory: "'salesService'",
        contractStatus: "'inForce'",
        counterpartyName: 'customerName',
        counterpartyCode: 'customerNo',
        ourUnit: 'signingUnit',
        handlerDept: 'salesDept',
        handler: 'salesperson',
        signDate: 'signDate',
        contractAmount: 'contractAmount',
        direction: "'collection'",
        settledAmount: '0',
        termStart: 'termStart',
        termEnd: 'termEnd',
        productSummary: "TEXTJOIN('、', products.name)",
        productType: 'productType',
        salesContract: '$record.id',
        changeCount: '0',
      },
    },
  ],
});

/** The plan of a sales contract points at its archive record once that exists (F14 contractRef). */
export const linkPlanToArchive = defineRule({
  pack: 'contracts',
  key: 'linkPlanToArchive',
  name: l('收款计划关联合同信息', 'Link the collection plan to the contract archive'),
  on: { form: 'contracts.contractArchive', events: ['created'] },
  when: "kind = 'sales'",
  actions: [
    {
      kind: 'writeBack',
      form: 'contracts.collectionPlan',
      mode: 'update',
      match: { contractNo: 'contractNo' },
      ifMissing: 'skip',
      set: { contractRef: '$record.id' },
    },
  ],
});
