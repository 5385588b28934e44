import { definePack } from '@baton/pack';
import { demo } from './demo/index.ts';
import { contractChangeFlow } from './flows/contract-change.flow.ts';
import { contractArchive } from './forms/contract-archive.form.ts';
import { contractChange } from './forms/contract-change.form.ts';
import { l } from './labels.ts';
import { enUS } from './locales/en-US.ts';
import { zhCN } from './locales/zh-CN.ts';
import { purchaseFlows, purchaseForms, purchaseMenus, purchaseReports, purchaseRules } from './purchase.ts';
import { roles } from './roles.ts';

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
  forms: [contractArchive, contractChange, ...purchaseForms],
  flows: [contractChangeFlow, ...purchaseFlows],
  rules: [...purchaseRules],
  reports: [...purchaseReports],
  menus: [
    {
      key: 'contracts',
      label: l('合同管理', 'Contracts'),
      icon: 'file-text',
      items: [
        { key: 'archive', label: l('合同信息表', 'Contract archive'), form: 'contractArchive' },
        { key: 'changes', label: l('合同变更记录', 'Change requests'), form: 'contractChange' },
      ],
    },
    ...purchaseMenus,
  ],
  roles,
  locales: { 'zh-CN': zhCN, 'en-US': enUS },
  demo,
});

export default contracts;
