import { defineFlow } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 采购付款审批 (F34), in the sample's order. The remote company's GM is the branchLeader of the requester's unit:
 * headquarters has none, so the node passes by itself there (P-35). A member met twice is asked once. The cashier
 * pays last and records the amount and time; the approval then settles the base-table lines.
 */
export const purchasePaymentFlow = defineFlow({
  pack: 'contracts',
  key: 'purchasePayment',
  name: l('采购付款申请', 'Purchase payment request'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'purchasePayment' },
  terminatePolicy: 'initiatorOrAdministrator',
  nodes: [
    { key: 'start', kind: 'start', name: l('提交人', 'Requester') },
    {
      key: 'purchasingDirector',
      kind: 'approval',
      name: l('采购总监', 'Purchasing director'),
      assignees: [{ source: 'role', role: 'purchasingDirector', scope: 'initiator' }],
      opinionField: 'opPurchasingDirector',
      initiatorAutoPass: true,
    },
    {
      key: 'remoteGm',
      kind: 'approval',
      name: l('异地公司总经理', 'Remote company GM'),
      assignees: [{ source: 'role', role: 'branchLeader', scope: 'initiator' }],
      opinionField: 'opRemoteGm',
      emptyPolicy: 'autoPass',
      dedupe: 'anyEarlier',
    },
    {
      key: 'purchasingVp',
      kind: 'approval',
      name: l('采购VP', 'Purchasing VP'),
      assignees: [{ source: 'role', role: 'purchasingVp', scope: 'all' }],
      opinionField: 'opPurchasingVp',
      dedupe: 'anyEarlier',
    },
    {
      key: 'invoiceCheck',
      kind: 'approval',
      name: l('财务审核发票', 'Finance invoice check'),
      mode: 'anySign',
      assignees: [{ source: 'role', role: 'financeStaff', scope: 'initiator' }],
      opinionField: 'opInvoiceCheck',
    },
    {
      key: 'financeManager',
      kind: 'approval',
      name: l('财务经理', 'Finance manager'),
      assignees: [{ source: 'role', role: 'financeManager', scope: 'all' }],
      opinionField: 'opFinanceManager',
      dedupe: 'anyEarlier',
    },
    {
      key: 'financeDirector',
      kind: 'approval',
      name: l('财务总监', 'Finance director'),
      assignees: [{ source: 'role', role: 'financeDirector', scope: 'all' }],
      opinionField: 'opFinanceDirector',
      dedupe: 'anyEarlier',
    },
    {
      key: 'cpo',
      kind: 'approval',
      name: l('CPO', 'CPO'),
      assignees: [{ source: 'role', role: 'cpo', scope: 'all' }],
      opinionField: 'opCpo',
      dedupe: 'anyEarlier',
    },
    {
      key: 'cashier',
      kind: 'approval',
      name: l('出纳付款', 'Cashier pays'),
      mode: 'anySign',
      assignees: [{ source: 'role', role: 'cashier', scope: 'all' }],
      fieldAccess: {
        paidAmount: 'required',
        paidAt: 'required',
        cashier: 'required',
        ncVoucherNo: 'edit',
        ncPayStatus: 'edit',
      },
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'purchasingDirector' },
    { from: 'purchasingDirector', to: 'remoteGm' },
    { from: 'remoteGm', to: 'purchasingVp' },
    { from: 'purchasingVp', to: 'invoiceCheck' },
    { from: 'invoiceCheck', to: 'financeManager' },
    { from: 'financeManager', to: 'financeDirector' },
    { from: 'financeDirector', to: 'cpo' },
    { from: 'cpo', to: 'cashier' },
    { from: 'cashier', to: 'end' },
  ],
});
