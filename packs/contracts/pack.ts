import { definePack } from '@baton/pack';
import { demo } from './demo/index.ts';
import { collectionReceiptFlow } from './flows/collection-receipt.flow.ts';
import { contractChangeFlow } from './flows/contract-change.flow.ts';
import { salesContractFlow } from './flows/sales-contract.flow.ts';
import { collectionInstalment, collectionPlan } from './forms/collection-plan.form.ts';
import { collectionReceipt } from './forms/collection-receipt.form.ts';
import { contractArchive } from './forms/contract-archive.form.ts';
import { contractChange } from './forms/contract-change.form.ts';
import { salesContract } from './forms/sales-contract.form.ts';
import { l } from './labels.ts';
import { enUS } from './locales/en-US.ts';
import { zhCN } from './locales/zh-CN.ts';
import { purchaseFlows, purchaseForms, purchaseMenus, purchaseReports, purchaseRules } from './purchase.ts';
import {
  collectionsByMonth,
  collectionsDue,
  overdueInstalments,
  receivedByMonth,
} from './reports/collections.report.ts';
import {
  contractsByStatus,
  grossMarginByProduct,
  salesContractExecution,
  salesContractsByCustomer,
  salesContractsByProduct,
} from './reports/contracts.report.ts';
import { roles } from './roles.ts';
import {
  collectionDueReminder,
  collectionOverdueReminder,
  receiptApplied,
  receiptChecked,
} from './rules/collection.rule.ts';
import { contractChangeApplied, contractChangeChecked } from './rules/contract-change.rule.ts';
import { linkPlanToArchive, salesContractApproved } from './rules/sales-contract.rule.ts';

/**
 * 合同管理 (catalog §2.6, §2.7, §2.16): sales contracts (F12–F14), purchase contracts (F15–F17), purchase payments
 * (F34, F35) and the budget ledger. The contract archive and the change request are shared by both sides; the
 * purchase side's definitions come from purchase.ts.
 */
export const contracts = definePack({
  key: 'contracts',
  version: '1.0.0',
  name: l('合同管理', 'Contracts and payments'),
  description: l(
    '销售合同与采购合同的审批、变更、收付款计划与执行跟踪',
    'Approval, changes, collection and payment plans and execution of sales and purchase contracts',
  ),
  forms: [
    contractArchive,
    contractChange,
    salesContract,
    collectionPlan,
    collectionInstalment,
    collectionReceipt,
    ...purchaseForms,
  ],
  flows: [contractChangeFlow, salesContractFlow, collectionReceiptFlow, ...purchaseFlows],
  rules: [
    salesContractApproved,
    linkPlanToArchive,
    receiptChecked,
    receiptApplied,
    collectionDueReminder,
    collectionOverdueReminder,
    contractChangeChecked,
    contractChangeApplied,
    ...purchaseRules,
  ],
  reports: [
    contractsByStatus,
    salesContractExecution,
    salesContractsByCustomer,
    salesContractsByProduct,
    grossMarginByProduct,
    collectionsDue,
    overdueInstalments,
    collectionsByMonth,
    receivedByMonth,
    ...purchaseReports,
  ],
  menus: [
    {
      key: 'contracts',
      label: l('合同管理', 'Contracts'),
      icon: 'file-text',
      items: [
        { key: 'archive', label: l('合同信息表', 'Contract archive'), form: 'contractArchive' },
        { key: 'change', label: l('合同变更申请', 'Request a contract change'), flow: 'contractChange' },
        { key: 'changes', label: l('合同变更记录', 'Change requests'), form: 'contractChange' },
      ],
    },
    {
      key: 'salesContracts',
      label: l('销售合同', 'Sales contracts'),
      icon: 'audit',
      items: [
        { key: 'newSalesContract', label: l('新建销售合同', 'New sales contract'), flow: 'salesContract' },
        { key: 'salesContracts', label: l('销售合同审批单', 'Sales contract requests'), form: 'salesContract' },
        { key: 'plans', label: l('收款计划', 'Collection plans'), form: 'collectionPlan' },
        { key: 'instalments', label: l('收款计划明细', 'Collection instalments'), form: 'collectionInstalment' },
        { key: 'receipts', label: l('回款登记', 'Receipts'), form: 'collectionReceipt' },
        { key: 'newReceipt', label: l('登记回款', 'Record a receipt'), flow: 'collectionReceipt' },
      ],
    },
    {
      key: 'contractReports',
      label: l('合同统计', 'Contract statistics'),
      icon: 'bar-chart',
      items: [
        { key: 'byStatus', label: l('合同执行状态', 'Contracts by status'), report: 'contractsByStatus' },
        {
          key: 'execution',
          label: l('销售合同执行情况', 'Sales contract execution'),
          report: 'salesContractExecution',
        },
        { key: 'byCustomer', label: l('销售合同（按客户）', 'By customer'), report: 'salesContractsByCustomer' },
        { key: 'byProduct', label: l('销售合同（按产品）', 'By product type'), report: 'salesContractsByProduct' },
        { key: 'margin', label: l('合同毛利', 'Gross margin'), report: 'grossMarginByProduct' },
        { key: 'due', label: l('应收与逾期', 'Collections due and overdue'), report: 'collectionsDue' },
        { key: 'overdue', label: l('逾期回款明细', 'Overdue instalments'), report: 'overdueInstalments' },
        { key: 'planVsActual', label: l('计划与实际回款', 'Planned and received'), report: 'collectionsByMonth' },
        { key: 'received', label: l('实际回款（按月）', 'Received by month'), report: 'receivedByMonth' },
      ],
    },
    ...purchaseMenus,
  ],
  roles,
  locales: { 'zh-CN': zhCN, 'en-US': enUS },
  demo,
});

export default contracts;
