import type { DemoFiling, DemoRecord, PackDemo } from '@baton/pack';

// Demo data of the purchase half, in Chinese, over the demo organisation (星河互联集团): five suppliers, the 2026
// budget lines of five departments, the Gaode base table's 12 seed rows (catalog §2.16), five purchase contracts
// (below ¥100,000, ¥300,000 with company leadership, ¥1,200,000 with the GM's office too, one waiting for legal,
// one rejected), three payments (the seed rows, two contract instalments one of them in part, one still running)
// and two supplier evaluations. The figures the reports show are worked out in test/purchase-reports.

const member = (selector: string) => ({ $member: selector });
const department = (name: string) => ({ $department: name });
const record = (ref: string) => ({ $record: ref });
const day = (offset: number) => ({ $date: offset });
const at = (offset: number, time: string) => ({ $datetime: offset, at: time });
/** The payable line a contract's approval wrote for its n-th instalment. */
const instalment = (contract: string, period: number) => ({
  $find: { form: 'purchasePaymentLedger', where: { purchaseContractRef: record(contract), period } },
});
const archived = (contract: string) => ({
  $find: { form: 'contractArchive', where: { purchaseContractRef: record(contract) } },
});

/** Who acts in the demo. */
export const buyers = ['staff:采购部:0', 'staff:采购部:1', 'staff:采购部:2'] as const;
export const purchasingHead = 'head:采购部';
export const legal = ['staff:法务部:0', 'staff:法务部:1', 'staff:法务部:2'] as const;
export const financeHead = 'head:财务中心';
export const accountant = 'staff:会计核算部:0';
export const financeManagerOf = 'head:会计核算部';
/** 分管采购、财务、法务的副总裁 (vpFinance): company leadership on F15, purchasing VP on F34. */
export const vpFinance = 'staff:总裁办:1';
export const ceo = 'head:总裁办';
export const cashierOf = 'staff:资金管理部:0';
export const branchBuyer = 'staff:综合管理部:1';

const supplier = (ref: string, values: Record<string, unknown>): DemoRecord => ({
  ref,
  form: 'supplierArchive',
  by: purchasingHead,
  values,
});

const suppliers: DemoRecord[] = [
  supplier('sp-shunengkai', {
    supplierName: '北京蜀能凯科技有限公司',
    category: 'it',
    contactName: '李卫东',
    contactPhone: '010-6255****',
    address: '北京市海淀区上地信息路 9 号',
    bankName: '招商银行北京上地支行',
    bankAccount: '1109 0723 **** 0518',
  }),
  supplier('sp-yunqi', {
    supplierName: '上海云启信息技术有限公司',
    category: 'service',
    contactName: '周晓岚',
    contactPhone: '021-5089****',
    address: '上海市浦东新区张江路 368 号',
    bankName: '中国工商银行上海张江支行',
    bankAccount: '1001 2431 **** 6620',
  }),
  supplier('sp-shuan', {
    supplierName: '杭州数安网络安全有限公司',
    category: 'service',
    contactName: '陈志远',
    contactPhone: '0571-8665****',
    address: '杭州市滨江区网商路 599 号',
    bankName: '中国建设银行杭州高新支行',
    bankAccount: '3305 0161 **** 2288',
  }),
  supplier('sp-xingyun', {
    supplierName: '北京星云数据科技有限公司',
    category: 'it',
    contactName: '王海涛',
    contactPhone: '010-8286****',
    address: '北京市朝阳区酒仙桥路 10 号',
    bankName: '中国银行北京酒仙桥支行',
    bankAccount: '3324 5687 **** 9901',
  }),
  supplier('sp-qiming', {
    supplierName: '深圳启明市场研究有限公司',
    category: 'consulting',
    contactName: '黄蕾',
    contactPhone: '0755-8632****',
    address: '深圳市南山区科技园科苑路 15 号',
    bankName: '平安银行深圳科技园支行',
    bankAccount: '1501 8899 **** 3306',
  }),
  supplier('sp-jincheng', {
    supplierName: '成都锦城物业服务有限公司',
    category: 'facility',
    contactName: '刘强',
    contactPhone: '028-8532****',
    address: '成都市高新区天府大道 1700 号',
    bankName: '成都银行高新支行',
    bankAccount: '1001 3000 **** 7712',
  }),
];

const budget = (ref: string, dept: string, lineName: string, yuan: number): DemoRecord => ({
  ref,
  form: 'budgetLedger',
  by: financeHead,
  values: { year: 2026, department: department(dept), lineName, budgetAmount: yuan * 100 },
});

const budgets: DemoRecord[] = [
  budget('b-rd1', '研发一部', '2026 研发一部 外包服务', 800_000),
  budget('b-it', 'IT 部', '2026 IT 部 设备与安全服务', 1_500_000),
  budget('b-purchasing', '采购部', '2026 采购部 公共采购', 3_000_000),
  budget('b-admin', '行政部', '2026 行政部 办公采购', 200_000),
  budget('b-market', '市场部', '2026 市场部 市场服务', 600_000),
];

/** The Gaode base table (catalog §2.16 F35): 12 rows, ¥17,056.00, all unpaid when entered. */
export const gaodeRows: Array<[string, string, string, number, number, string]> = [
  ['gd01', 'consumables', '键盘', 5, 67_000, '2013-07-08'],
  ['gd02', 'other', '其他', 3, 125_000, '2013-05-24'],
  ['gd03', 'consumables', '键盘', 1, 4_900, '2013-05-05'],
  ['gd04', 'other', '其他', 2, 15_000, '2013-05-28'],
  ['gd05', 'books', '笔记本', 1, 750_000, '2013-05-24'],
  ['gd06', 'other', '其他', 1, 24_000, '2013-05-11'],
  ['gd07', 'consumables', '鼠标', 3, 2_900, '2013-05-05'],
  ['gd08', 'other', '其他', 5, 200, '2013-05-11'],
  ['gd09', 'other', '其他', 100, 100, '2013-05-11'],
  ['gd10', 'other', '其他', 1, 7_000, '2013-05-11'],
  ['gd11', 'other', '其他', 20, 3_000, '2013-05-11'],
  ['gd12', 'other', '其他', 1, 100_000, '2013-07-01'],
];

const ledgerRows: DemoRecord[] = gaodeRows.map(([ref, assetCategory, assetName, quantity, unitPrice, inboundDate]) => ({
  ref,
  form: 'purchasePaymentLedger',
  by: accountant,
  values: {
    supplierRef: record('sp-shunengkai'),
    assetCategory,
    assetName,
    project: '三维项目',
    quantity,
    unitPrice,
    currency: 'CNY',
    rate: 1,
    inboundDate,
    paid: 'unpaid',
    budgetRef: record('b-admin'),
  },
}));

type Plan = Array<{ ratio: number; days: number; condition: string }>;

const contract = (
  ref: string,
  by: string,
  title: string,
  values: Record<string, unknown>,
  plan: Plan,
  steps: DemoFiling['steps'],
): DemoFiling => ({
  ref,
  flow: 'purchaseContract',
  by,
  title,
  values: {
    handlerConfirm: true,
    sealTypes: ['contractSeal'],
    currencyUnit: 'CNY',
    ...values,
    paymentPlanItems: plan.map((item) => ({
      ratio: item.ratio,
      plannedDate: day(item.days),
      method: 'transfer',
      condition: item.condition,
    })),
  },
  steps,
});

const executed = (by: string) => ({ action: 'approve' as const, by, values: { effectiveDate1: day(0) } });

const contracts: DemoFiling[] = [
  // ¥86,000: the department's managers, legal and finance.
  contract(
    'pc1',
    buyers[0],
    '采购合同 研发一部 外包测试服务',
    {
      supplierRef: record('sp-yunqi'),
      productName: '外包测试服务',
      contractTotal: 8_600_000,
      contractNoPrefix: 'XHWB',
      projectNo: '101',
      projectName: '支付系统回归测试外包',
      applicantDept: department('研发一部'),
      budgetRef: record('b-rd1'),
      termStart: day(-20),
      termEnd: day(160),
    },
    [
      { ratio: 30, days: -15, condition: '合同签订后 15 日内' },
      { ratio: 70, days: 45, condition: '测试报告验收后' },
    ],
    [
      { action: 'approve', by: purchasingHead },
      { action: 'approve', by: 'head:研发一部' },
      { action: 'approve', by: legal[0], opinion: '合同条款无异议。' },
      { action: 'approve', by: financeHead },
      executed(buyers[0]),
    ],
  ),
  // ¥300,000: from ¥100,000 company leadership signs as well.
  contract(
    'pc2',
    buyers[0],
    '采购合同 IT 部 渗透测试与安全评估',
    {
      supplierRef: record('sp-shuan'),
      productName: '渗透测试与安全评估',
      contractTotal: 30_000_000,
      contractNoPrefix: 'XHJS',
      projectNo: '205',
      projectName: '年度安全评估',
      applicantDept: department('IT 部'),
      budgetRef: record('b-it'),
      expectedNetMargin: 18,
      termStart: day(-10),
      termEnd: day(80),
    },
    [
      { ratio: 40, days: -5, condition: '合同签订后' },
      { ratio: 60, days: 60, condition: '评估报告交付后' },
    ],
    [
      { action: 'approve', by: purchasingHead },
      { action: 'approve', by: 'head:IT 部' },
      { action: 'approve', by: legal[1] },
      { action: 'approve', by: financeHead },
      { action: 'approve', by: vpFinance, opinion: '同意，注意保密条款。' },
      executed(buyers[0]),
    ],
  ),
  // ¥1,200,000 for the purchasing department itself: its head is asked once; from ¥500,000 the GM's office too.
  contract(
    'pc3',
    buyers[1],
    '采购合同 采购部 云服务器年度服务',
    {
      supplierRef: record('sp-xingyun'),
      productName: '云服务器年度服务',
      contractTotal: 120_000_000,
      contractNoPrefix: 'XHCG',
      projectNo: '300',
      projectName: '集团云资源年度采购',
      applicantDept: department('采购部'),
      budgetRef: record('b-purchasing'),
      termStart: day(0),
      termEnd: day(365),
    },
    [
      { ratio: 50, days: 0, condition: '合同签订后' },
      { ratio: 30, days: 90, condition: '服务满一季度' },
      { ratio: 20, days: 180, condition: '服务满半年' },
    ],
    [
      { action: 'approve', by: purchasingHead },
      { action: 'approve', by: legal[0] },
      { action: 'approve', by: financeHead },
      { action: 'approve', by: vpFinance },
      { action: 'approve', by: ceo, opinion: '同意。' },
      executed(buyers[1]),
    ],
  ),
  // ¥150,000, waiting for legal.
  contract(
    'pc4',
    buyers[0],
    '采购合同 市场部 华东市场调研',
    {
      supplierRef: record('sp-qiming'),
      productName: '华东市场调研',
      contractTotal: 15_000_000,
      contractNoPrefix: 'XHZX',
      projectNo: '412',
      projectName: '华东用户调研',
      applicantDept: department('市场部'),
      budgetRef: record('b-market'),
    },
    [{ ratio: 100, days: 30, condition: '调研报告验收后' }],
    [
      { action: 'approve', by: purchasingHead },
      { action: 'approve', by: 'head:市场部' },
    ],
  ),
  // ¥90,000, rejected by legal: its commitment went back to the budget.
  contract(
    'pc5',
    buyers[2],
    '采购合同 行政部 办公区保洁服务',
    {
      supplierRef: record('sp-jincheng'),
      productName: '办公区保洁服务',
      contractTotal: 9_000_000,
      contractNoPrefix: 'XHCG',
      projectNo: '520',
      projectName: '办公区保洁',
      applicantDept: department('行政部'),
      budgetRef: record('b-admin'),
    },
    [
      { ratio: 50, days: 30, condition: '服务满半年' },
      { ratio: 50, days: 210, condition: '服务期满' },
    ],
    [
      { action: 'approve', by: purchasingHead },
      { action: 'approve', by: 'head:行政部' },
      { action: 'reject', by: legal[2], opinion: '保洁服务应纳入行政部年度框架协议，不单独签订。' },
    ],
  ),
];

/** The payment chain up to (not including) the cashier, for a buyer at headquarters (no remote GM). */
const paymentChain: NonNullable<DemoFiling['steps']> = [
  { action: 'approve', by: purchasingHead },
  { action: 'approve', by: vpFinance },
  { action: 'approve', by: accountant, opinion: '发票已核。' },
  { action: 'approve', by: financeManagerOf },
  { action: 'approve', by: financeHead },
  { action: 'approve', by: ceo },
];

const paid = (fen: number, days: number) => ({
  action: 'approve' as const,
  by: cashierOf,
  values: { paidAmount: fen, paidAt: at(days, '15:30'), cashier: member(cashierOf) },
});

const gaodePaid = gaodeRows.slice(0, 8);
const gaodeTotal = gaodePaid.reduce((sum, row) => sum + row[3] * row[4], 0);

const payments: DemoFiling[] = [
  // Rows 1–8 of the seed base table, in full (¥15,286.00), paid in October.
  {
    ref: 'pay1',
    flow: 'purchasePayment',
    by: buyers[1],
    title: '三维项目 办公设备付款',
    values: {
      reason: '三维项目 5–7 月入库办公设备及耗材付款',
      items: gaodePaid.map(([ref, , , quantity, unitPrice]) => ({
        ledgerRowRef: record(ref),
        payAmount: quantity * unitPrice,
      })),
    },
    steps: [...paymentChain, paid(gaodeTotal, -40)],
  },
  // The first instalment of pc1 in full and half of pc2's first instalment, in November.
  {
    ref: 'pay2',
    flow: 'purchasePayment',
    by: buyers[0],
    title: '外包测试首付款及安全评估部分首付款',
    values: {
      reason: '支付系统回归测试外包首付款；安全评估首付款先付一半',
      items: [
        { ledgerRowRef: instalment('pc1', 1), payAmount: 2_580_000 },
        { ledgerRowRef: instalment('pc2', 1), payAmount: 6_000_000 },
      ],
    },
    steps: [...paymentChain, paid(8_580_000, -10)],
  },
  // pc3's first instalment, waiting for the finance director.
  {
    ref: 'pay3',
    flow: 'purchasePayment',
    by: buyers[1],
    title: '云服务器年度服务首付款',
    values: {
      reason: '集团云资源年度采购首付款（50%）',
      items: [{ ledgerRowRef: instalment('pc3', 1), payAmount: 60_000_000 }],
    },
    steps: paymentChain.slice(0, 4),
  },
];

const evaluation = (
  ref: string,
  contractRef: string,
  scores: [number, number, number],
  comment: string,
): DemoFiling => ({
  ref,
  flow: 'supplierEvaluation',
  by: buyers[0],
  title: `供应商服务评价 ${contractRef}`,
  values: {
    contractRef: archived(contractRef),
    qualityScore: scores[0],
    timelinessScore: scores[1],
    cooperationScore: scores[2],
    comment,
  },
  steps: [{ action: 'approve', by: purchasingHead, values: { completionReviewer: member(purchasingHead) } }],
});

const evaluations: DemoFiling[] = [
  evaluation('ev1', 'pc1', [90, 85, 95], '测试用例覆盖全面，缺陷报告规范。'),
  evaluation('ev2', 'pc2', [80, 70, 90], '评估报告质量较好，交付略有延迟。'),
];

export const purchaseDemoData: Required<PackDemo> = {
  assignments: [
    { role: 'purchasingVp', members: [vpFinance] },
    { role: 'financeManager', members: [financeManagerOf] },
    { role: 'cpo', members: [ceo] },
    { role: 'cashier', members: [cashierOf] },
    // 成都分公司综合管理部 buys for the branch: its payments go to the branch's GM as well (P-35).
    { role: 'buyer', members: [branchBuyer] },
  ],
  records: [...suppliers, ...budgets, ...ledgerRows],
  filings: [...contracts, ...payments, ...evaluations],
};
