// Texts of the contracts pack beyond the labels of its forms and flows (which carry both languages themselves).
export const zhCN: Record<string, string> = {
  'pack.summary': '销售合同与采购合同的审批、变更、收付款计划与执行跟踪',
  'menu.contracts.hint': '合同审批通过后自动归档，并生成收款或付款计划',
  'contractArchive.hint': '合同信息表由审批流程写入；变更须走合同变更审批，每次变更都有记录可查',
  'contractChange.hint': '减少原有收款约定的，请将该期金额填为 0，变更批准后对应的收款计划行自动取消',
  'menu.purchase.hint': '采购合同审批通过后自动归档，并按付款计划生成付款底表',
  'purchaseContract.hint': '提交即占用申请部门预算；撤回、退回、驳回或终止时自动释放',
  'purchasePayment.hint': '请通过“选择数据”从付款底表选择未付款行；已付款或在途的行不能重复付款',
  'budgetLedger.hint': '可用余额 = 年度预算 − 已占用 − 已支付；超出可用余额的申请将被拒绝',
};
