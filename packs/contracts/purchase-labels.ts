// Choice lists of the purchase half (F15, F17, F34, F35, the supplier archive and the budget ledger).
import { opt } from './labels.ts';

/** 币种 (F34/F35 currency; F15 合同总金额（注明单位）). */
export const currencies = [
  opt('CNY', '人民币', 'Chinese yuan'),
  opt('USD', '美元', 'US dollar'),
  opt('EUR', '欧元', 'Euro'),
  opt('HKD', '港币', 'Hong Kong dollar'),
];

/** 公司统一合同号前缀 (prefix dictionary): the first part of the company-wide contract number. */
export const contractNoPrefixes = [
  opt('XHCG', 'XHCG 采购服务', 'XHCG purchased services'),
  opt('XHJS', 'XHJS 技术服务', 'XHJS technical services'),
  opt('XHZX', 'XHZX 咨询服务', 'XHZX consulting'),
  opt('XHWB', 'XHWB 外包服务', 'XHWB outsourcing'),
];

/** 印章类别. */
export const sealTypes = [
  opt('companySeal', '公章', 'Company seal'),
  opt('contractSeal', '合同章', 'Contract seal'),
  opt('legalRepSeal', '法定代表人名章', "Legal representative's seal"),
];

/** 是否付款 / 付款情况 (F35 paid, F34 payStatus): several payments may settle one line (P-54). */
export const payStatuses = [
  opt('unpaid', '未付款', 'Unpaid'),
  opt('partlyPaid', '部分付款', 'Partly paid'),
  opt('paid', '已付款', 'Paid'),
  // A payment term changed to 0 (F16): nothing is owed on the line any more.
  opt('cancelled', '已取消', 'Cancelled'),
];

/** F35 asset category (the seed's unlabeled column), plus the instalments purchase contracts add. */
export const assetCategories = [
  opt('consumables', '低值易耗品', 'Consumables'),
  opt('books', '书籍', 'Books'),
  opt('other', '其他', 'Other'),
  opt('serviceInstalment', '合同分期款', 'Contract instalment'),
];

/** 合同执行状态 of a payment plan (F17). */
export const planStatuses = [
  opt('inProgress', '执行中', 'In progress'),
  opt('paid', '已付清', 'Paid in full'),
  opt('overdue', '逾期', 'Overdue'),
  opt('closed', '已关闭', 'Closed'),
];

/** NC 凭证状态, written back by the connector (P-101). */
export const ncStatuses = [
  opt('pushed', '已推送', 'Pushed'),
  opt('voucherCreated', '已生成凭证', 'Voucher created'),
  opt('paid', '已支付', 'Paid'),
  opt('failed', '失败', 'Failed'),
];

/** 供应商类别. */
export const supplierCategories = [
  opt('it', 'IT 设备与软件', 'IT equipment and software'),
  opt('service', '技术服务', 'Technical services'),
  opt('consulting', '咨询', 'Consulting'),
  opt('facility', '行政后勤', 'Facilities'),
  opt('other', '其他', 'Other'),
];
