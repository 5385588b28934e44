import type { FlowDefinition, FormDefinition, PackDemo, PackMenu, PackReport, PackRole, PackRule } from '@baton/pack';
import { purchaseDemoData } from './demo/purchase.ts';
import { purchaseContractFlow } from './flows/purchase-contract.flow.ts';
import { purchasePaymentFlow } from './flows/purchase-payment.flow.ts';
import { supplierEvaluationFlow } from './flows/supplier-evaluation.flow.ts';
import { budgetLedger } from './forms/budget-ledger.form.ts';
import { paymentPlan } from './forms/payment-plan.form.ts';
import { purchaseContract } from './forms/purchase-contract.form.ts';
import { purchasePayment } from './forms/purchase-payment.form.ts';
import { purchasePaymentLedger } from './forms/purchase-payment-ledger.form.ts';
import { supplierArchive } from './forms/supplier-archive.form.ts';
import { supplierEvaluation } from './forms/supplier-evaluation.form.ts';
import { l } from './labels.ts';
import {
  budgetConsumption,
  budgetExecution,
  payablesBySupplier,
  paymentsBySupplierMonth,
  purchaseContractExecution,
  supplierScores,
} from './reports/purchase.report.ts';
import {
  archivePurchaseContract,
  commitContractBudget,
  openPaymentPlan,
  recommitOnAmountChange,
  releaseContractBudget,
} from './rules/purchase-contract.rule.ts';
import { checkPaymentLines, holdPaymentLines, settlePaymentLines } from './rules/purchase-payment.rule.ts';
import { paymentDueReminder } from './rules/purchase-reminders.rule.ts';
import { recordSupplierEvaluation } from './rules/supplier-evaluation.rule.ts';

// The purchase half of the pack (catalog §2.7, §2.16: F15, F17, supplier archive, F34/F35, budget ledger).
// pack.ts spreads these into definePack; roles with the same code as a sales role are merged (permissions added).

export const purchaseForms: FormDefinition[] = [
  supplierArchive,
  budgetLedger,
  purchaseContract,
  paymentPlan,
  purchasePaymentLedger,
  purchasePayment,
  supplierEvaluation,
];
export const purchaseFlows: FlowDefinition[] = [purchaseContractFlow, purchasePaymentFlow, supplierEvaluationFlow];
export const purchaseRules: PackRule[] = [
  commitContractBudget,
  archivePurchaseContract,
  openPaymentPlan,
  releaseContractBudget,
  recommitOnAmountChange,
  checkPaymentLines,
  holdPaymentLines,
  settlePaymentLines,
  recordSupplierEvaluation,
  paymentDueReminder,
];
export const purchaseReports: PackReport[] = [
  paymentsBySupplierMonth,
  budgetExecution,
  budgetConsumption,
  payablesBySupplier,
  purchaseContractExecution,
  supplierScores,
];

export const purchaseMenus: PackMenu[] = [
  {
    key: 'purchase',
    label: l('采购合同与付款', 'Purchasing and payments'),
    icon: 'shopping',
    items: [
      { key: 'newPurchaseContract', label: l('采购合同审批', 'New purchase contract'), flow: 'purchaseContract' },
      { key: 'purchaseContracts', label: l('采购合同审批单', 'Purchase contract requests'), form: 'purchaseContract' },
      { key: 'paymentPlans', label: l('付款计划', 'Payment plans'), form: 'paymentPlan' },
      { key: 'newPayment', label: l('采购付款申请', 'Request a purchase payment'), flow: 'purchasePayment' },
      { key: 'payments', label: l('付款申请记录', 'Payment requests'), form: 'purchasePayment' },
      { key: 'payables', label: l('采购付款情况底表', 'Payment base table'), form: 'purchasePaymentLedger' },
      { key: 'suppliers', label: l('供应商档案', 'Suppliers'), form: 'supplierArchive' },
      { key: 'evaluate', label: l('供应商服务评价', 'Evaluate a supplier'), flow: 'supplierEvaluation' },
      { key: 'evaluations', label: l('供应商评价记录', 'Supplier evaluations'), form: 'supplierEvaluation' },
      { key: 'budgets', label: l('预算台账', 'Budget ledger'), form: 'budgetLedger' },
    ],
  },
  {
    key: 'purchaseReports',
    label: l('采购与预算统计', 'Purchasing and budget statistics'),
    icon: 'bar-chart',
    items: [
      {
        key: 'paymentsBySupplier',
        label: l('付款统计（供应商×月份）', 'Payments by supplier and month'),
        report: 'paymentsBySupplierMonth',
      },
      { key: 'budgetExecution', label: l('预算执行情况', 'Budget execution'), report: 'budgetExecution' },
      { key: 'budgetConsumption', label: l('预算消耗明细', 'Budget consumption'), report: 'budgetConsumption' },
      { key: 'payables', label: l('应付情况', 'Payables'), report: 'payablesBySupplier' },
      {
        key: 'purchaseExecution',
        label: l('采购合同执行情况', 'Purchase contract execution'),
        report: 'purchaseContractExecution',
      },
      { key: 'supplierScores', label: l('供应商评分', 'Supplier scores'), report: 'supplierScores' },
    ],
  },
];

const all = ['all'] as const;
const readAll = (...forms: string[]) => forms.map((form) => ({ form, read: [...all] }));

/**
 * Who reaches what on the purchase side (catalog §2.7, §2.16 roles; P-60 record scopes):
 * - buyer (采购员): files purchase contracts, payments and evaluations; reads suppliers, the base table, budgets
 *   and payment plans (it pays against them) and the department's contracts;
 * - purchasingDirector: every purchase record; keeps suppliers and the base table;
 * - financeStaff: registers received purchases in the base table and keeps the payment plans; reads the rest;
 * - financeDirector: sets the budget ledger; reads every purchase record;
 * - purchasingVp, financeManager, cpo, cashier (roles this pack adds): the payment chain; read the payments;
 * - generalManager, divisionLeader, legalStaff: the contracts they review, and budgets; branchLeader: the
 *   payments of its unit (it approves them as the remote company's GM);
 * - administration (行政部): registers received assets and requests their payment.
 * Budget lines belong to whoever entered them (finance), so record scopes cannot follow their `department` field:
 * a department's head sees its balance on the purchase contract (budgetRemaining) and in the reports they reach.
 */
export const purchaseRoles: PackRole[] = [
  {
    code: 'buyer',
    name: l('采购员', 'Buyer'),
    permissions: [
      { form: 'purchaseContract', create: true },
      { flow: 'purchaseContract', start: true },
      { form: 'purchasePayment', create: true },
      { flow: 'purchasePayment', start: true },
      { form: 'supplierEvaluation', create: true },
      { flow: 'supplierEvaluation', start: true },
      { form: 'supplierArchive', create: true, read: [...all] },
      { form: 'contractArchive', read: ['department'] },
      ...readAll('purchasePaymentLedger', 'budgetLedger', 'paymentPlan'),
    ],
  },
  {
    code: 'purchasingDirector',
    name: l('采购总监', 'Purchasing director'),
    permissions: [
      { form: 'purchaseContract', create: true, read: [...all] },
      { flow: 'purchaseContract', start: true },
      { form: 'purchasePayment', create: true, read: [...all] },
      { flow: 'purchasePayment', start: true },
      { form: 'supplierArchive', create: true, write: [...all] },
      { form: 'purchasePaymentLedger', create: true, write: [...all] },
      ...readAll('contractArchive', 'paymentPlan', 'budgetLedger', 'supplierEvaluation'),
    ],
  },
  // Legal keeps the contract archive (合同信息表): it records a termination there, which gives back the budget.
  {
    code: 'legalStaff',
    name: l('法务人员', 'Legal staff'),
    permissions: [{ form: 'contractArchive', write: [...all] }, ...readAll('purchaseContract', 'supplierArchive')],
  },
  {
    code: 'financeStaff',
    name: l('财务人员', 'Finance staff'),
    permissions: [
      { form: 'purchasePaymentLedger', create: true, write: [...all] },
      { form: 'paymentPlan', write: [...all] },
      ...readAll('purchaseContract', 'purchasePayment', 'budgetLedger', 'supplierArchive'),
    ],
  },
  {
    code: 'financeDirector',
    name: l('财务总监', 'Finance director'),
    permissions: [
      { form: 'budgetLedger', create: true, write: [...all] },
      ...readAll(
        'purchaseContract',
        'purchasePayment',
        'purchasePaymentLedger',
        'paymentPlan',
        'contractArchive',
        'supplierArchive',
      ),
    ],
  },
  {
    code: 'purchasingVp',
    name: l('采购VP', 'Purchasing VP'),
    description: l('审批采购付款', 'Approves purchase payments'),
    permissions: readAll('purchasePayment', 'purchasePaymentLedger', 'purchaseContract', 'budgetLedger'),
  },
  {
    code: 'financeManager',
    name: l('财务经理', 'Finance manager'),
    description: l('审批采购付款', 'Approves purchase payments'),
    permissions: readAll('purchasePayment', 'purchasePaymentLedger', 'budgetLedger'),
  },
  {
    code: 'cpo',
    name: l('CPO', 'Chief purchasing officer'),
    description: l('采购付款的最终审批', 'Final approval of purchase payments'),
    permissions: readAll('purchasePayment', 'purchasePaymentLedger', 'purchaseContract', 'budgetLedger'),
  },
  {
    code: 'cashier',
    name: l('出纳', 'Cashier'),
    description: l('支付已审批的采购付款并登记', 'Pays approved purchase payments and records them'),
    permissions: readAll('purchasePayment', 'purchasePaymentLedger'),
  },
  {
    code: 'generalManager',
    name: l('总经理', 'General manager'),
    permissions: readAll('purchaseContract', 'contractArchive', 'budgetLedger', 'purchasePayment'),
  },
  {
    code: 'divisionLeader',
    name: l('分管领导', 'Division leader'),
    permissions: readAll('purchaseContract', 'budgetLedger'),
  },
  // 异地公司总经理: the branch or subsidiary GM approves its unit's payments (P-35).
  {
    code: 'branchLeader',
    name: l('分公司领导', 'Branch-company leader'),
    permissions: [{ form: 'purchasePayment', read: ['unit'] }],
  },
  {
    code: 'administration',
    name: l('行政部', 'Administration department'),
    permissions: [
      { form: 'purchasePaymentLedger', create: true, read: ['department'] },
      { form: 'purchasePayment', create: true },
      { flow: 'purchasePayment', start: true },
      { form: 'supplierArchive', read: [...all] },
      { form: 'budgetLedger', read: ['department'] },
    ],
  },
];

/** Demo data of the purchase side, loaded after the sales side's. */
export const purchaseDemo: Required<PackDemo> = purchaseDemoData;
