// Small helpers for bilingual labels and choice options, shared by the forms of this pack (sales and purchase).

export const l = (zh: string, en: string) => ({ zh, en });

export const opt = (code: string, zh: string, en: string) => ({ code, label: { zh, en } });

/** 合同类型: which side of the business a contract is on; one archive holds both. */
export const contractKinds = [
  opt('sales', '销售合同', 'Sales contract'),
  opt('purchase', '采购合同', 'Purchase contract'),
];

/** 合同类别 (F13 contractCategory). */
export const contractCategories = [
  opt('salesService', '销售服务', 'Sales service'),
  opt('purchaseService', '采购服务', 'Purchase service'),
  opt('other', '其他', 'Other'),
];

/** 合同状态 (F13 contractStatus): the archive's life cycle. */
export const contractStatuses = [
  opt('draft', '草拟', 'Draft'),
  opt('inForce', '执行中', 'In force'),
  opt('changed', '已变更', 'Changed'),
  opt('completed', '已完成', 'Completed'),
  opt('terminated', '已终止', 'Terminated'),
];

/** 收款付款: whether money comes in (sales) or goes out (purchase). */
export const directions = [opt('collection', '收款', 'Collection'), opt('payment', '付款', 'Payment')];

/** 回款/付款方式. */
export const settlementMethods = [
  opt('transfer', '银行转账', 'Bank transfer'),
  opt('cheque', '支票', 'Cheque'),
  opt('acceptance', '银行承兑汇票', "Banker's acceptance"),
  opt('cash', '现金', 'Cash'),
  opt('other', '其他', 'Other'),
];

/** 产品类型 of a service sales contract (also on the collection plan, F14). */
export const productTypes = [
  opt('marketing', '整合营销服务', 'Integrated marketing'),
  opt('media', '媒介投放', 'Media buying'),
  opt('technical', '技术服务', 'Technical services'),
  opt('software', '软件许可', 'Software licence'),
  opt('other', '其他', 'Other'),
];
