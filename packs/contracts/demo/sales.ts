import type { DemoFiling, PackDemo } from '@baton/pack';

// Sales contracts of the demo organisation (星河互联集团): three in force with their collection plans and
// receipts (one of them changed once), one waiting for the sales director, one rejected. Dates are relative to the day the demo loads.

const day = (offset: number) => ({ $date: offset });
const member = (selector: string) => ({ $member: selector });
const record = (ref: string) => ({ $record: ref });

const legal = 'staff:法务部:0';
const directorNorth = 'head:华北销售部';
const directorEast = 'head:华东销售部';
const clerk = 'staff:会计核算部:0';
const clerkHead = 'head:会计核算部';
const collector = member(clerk);

const approvedBy = (director: string) => [
  { action: 'approve' as const, by: legal, opinion: '合同条款合规，同意。' },
  { action: 'approve' as const, by: director, opinion: '价格与回款条件合理，同意签订。' },
];

const term = (milestone: string, amount: number, plannedDate: number, condition: string) => ({
  milestone,
  amount,
  plannedDate: day(plannedDate),
  method: 'transfer',
  condition,
});

export const salesContracts: DemoFiling[] = [
  {
    ref: 's01',
    flow: 'salesContract',
    by: 'staff:北京销售一组:0',
    title: '销售合同 北京星辰化妆品有限公司 2027 年度整合营销服务',
    values: {
      contractName: '2027 年度整合营销服务合同',
      customerName: '北京星辰化妆品有限公司',
      customerNo: 'KH-2026-0001',
      provinceCity: ['110000', '110100'],
      customerAddress: '北京市朝阳区建国路 88 号 SOHO 现代城 A 座 1201',
      contactName: '王丽',
      contactPhone: '138****1024',
      contractAmount: 38_000_000,
      signDate: day(-62),
      termStart: day(-60),
      termEnd: day(305),
      productType: 'marketing',
      grossProfit: 11_400_000,
      collector,
      discount: 9,
      products: [
        { name: '整合营销策划', spec: '年度方案', code: 'YX-001', quantity: 1, amount: 18_000_000 },
        { name: '短视频投放', spec: '季度包', code: 'MT-004', quantity: 4, amount: 20_000_000 },
      ],
      paymentTerms: [
        term('合同签订后 5 个工作日内', 11_400_000, -60, '合同签订后支付 30%'),
        term('上半年投放结束', 15_200_000, -10, '上半年投放报告确认后支付 40%'),
        term('全年投放结束', 11_400_000, 20, '年度结案报告确认后支付 30%'),
      ],
    },
    steps: approvedBy(directorNorth),
  },
  {
    ref: 's02',
    flow: 'salesContract',
    by: 'staff:华东销售部:0',
    title: '销售合同 上海锦绣电子商务有限公司 双十一大促媒介投放',
    values: {
      contractName: '双十一大促媒介投放合同',
      customerName: '上海锦绣电子商务有限公司',
      customerNo: 'KH-2026-0006',
      provinceCity: ['310000', '310100'],
      customerAddress: '上海市浦东新区世纪大道 100 号 39 层',
      contactName: '陈静',
      contractAmount: 26_000_000,
      signDate: day(-32),
      termStart: day(-30),
      termEnd: day(60),
      productType: 'media',
      grossProfit: 5_200_000,
      collector,
      products: [{ name: '电商平台媒介投放', spec: '双十一专项', code: 'MT-011', quantity: 1, amount: 26_000_000 }],
      paymentTerms: [
        term('预付款', 13_000_000, -30, '合同签订后预付 50%'),
        term('结算款', 13_000_000, 45, '投放结束对账后支付 50%'),
      ],
    },
    steps: approvedBy(directorEast),
  },
  {
    ref: 's03',
    flow: 'salesContract',
    by: 'staff:大客户小组:0',
    title: '销售合同 天津滨海汽车销售有限公司 车展整合推广',
    values: {
      contractName: '车展整合推广服务合同',
      customerName: '天津滨海汽车销售有限公司',
      customerNo: 'KH-2026-0004',
      provinceCity: ['120000', '120100'],
      customerAddress: '天津市滨海新区黄海路 19 号',
      contactName: '孙伟',
      contractAmount: 30_000_000,
      signDate: day(-76),
      termStart: day(-75),
      termEnd: day(200),
      productType: 'marketing',
      grossProfit: 9_000_000,
      collector,
      products: [
        { name: '车展活动策划执行', spec: '春季、秋季车展', code: 'HD-002', quantity: 2, amount: 12_000_000 },
        { name: '汽车垂直媒体投放', spec: '全年', code: 'MT-007', quantity: 1, amount: 18_000_000 },
      ],
      paymentTerms: [
        term('第一季度', 7_500_000, -75, '按季度平均支付'),
        term('第二季度', 7_500_000, 15, '按季度平均支付'),
        term('第三季度', 7_500_000, 105, '按季度平均支付'),
        term('第四季度', 7_500_000, 195, '按季度平均支付'),
      ],
    },
    steps: approvedBy(directorNorth),
  },
  {
    ref: 's04',
    flow: 'salesContract',
    by: 'staff:北京销售一组:1',
    title: '销售合同 北京智联教育科技有限公司 招生投放看板',
    values: {
      contractName: '招生投放效果看板技术服务合同',
      customerName: '北京智联教育科技有限公司',
      customerNo: 'KH-2026-0003',
      contractAmount: 12_000_000,
      productType: 'technical',
      grossProfit: 4_800_000,
      products: [{ name: '投放效果看板', spec: 'SaaS 一年', code: 'JS-003', quantity: 1, amount: 12_000_000 }],
      paymentTerms: [
        term('上线验收', 6_000_000, 30, '看板上线验收后支付 50%'),
        term('服务期满', 6_000_000, 90, '服务期满后支付 50%'),
      ],
    },
    steps: [{ action: 'approve', by: legal, opinion: '同意。' }],
  },
  {
    ref: 's05',
    flow: 'salesContract',
    by: 'staff:华东销售部:1',
    title: '销售合同 南京金陵食品有限公司 新品推广',
    values: {
      contractName: '新品上市推广合同',
      customerName: '南京金陵食品有限公司',
      customerNo: 'KH-2026-0008',
      contractAmount: 5_000_000,
      productType: 'media',
      grossProfit: 250_000,
      products: [{ name: '新品推广投放', quantity: 1, amount: 5_000_000 }],
      paymentTerms: [term('一次性支付', 5_000_000, 15, '投放完成后一次性支付')],
    },
    steps: [{ action: 'reject', by: directorEast, opinion: '毛利率过低，请重新报价。' }],
  },
];

// The 天津滨海 contract grows: an autumn motor show is added, the term runs longer and the last two quarters rise.
export const salesChanges: DemoFiling[] = [
  {
    ref: 'c01',
    flow: 'contractChange',
    by: 'staff:大客户小组:0',
    title: '合同变更 车展整合推广服务合同',
    values: {
      contractRef: { $find: { form: 'contractArchive', where: { contractName: '车展整合推广服务合同' } } },
      reason: '客户追加秋季车展推广，合同金额增加 5 万元，服务期顺延一个月。',
      changeScope: ['amount', 'term', 'collectionTerms'],
      ourPartyName: '星河互联集团总部',
      counterparties: [{ name: '天津滨海汽车销售有限公司' }],
      amount: 35_000_000,
      termEnd: day(230),
      collectionTerms: [
        { item: '第一季度', payer: '天津滨海汽车销售有限公司', amount: 7_500_000, dueDate: day(-75) },
        { item: '第二季度', payer: '天津滨海汽车销售有限公司', amount: 7_500_000, dueDate: day(15) },
        { item: '第三季度（含秋季车展）', payer: '天津滨海汽车销售有限公司', amount: 10_000_000, dueDate: day(105) },
        { item: '第四季度', payer: '天津滨海汽车销售有限公司', amount: 10_000_000, dueDate: day(195) },
      ],
      revisionNotes: '第三、四季度款项各增加 2.5 万元。',
      copies: 4,
    },
    steps: [
      { action: 'approve', by: 'head:大客户小组', opinion: '同意变更。' },
      { action: 'approve', by: legal, opinion: '变更条款合规。' },
      { action: 'approve', by: directorNorth, opinion: '同意。' },
    ],
  },
];

const receipt = (contract: string, period: number, amount: number, receivedDate: number, payerName: string) => ({
  flow: 'collectionReceipt',
  by: clerk,
  values: {
    salesContract: record(contract),
    period,
    amount,
    receivedDate: day(receivedDate),
    method: 'transfer',
    payerName,
  },
  steps: [{ action: 'approve' as const, by: clerkHead, opinion: '已核对银行到账。' }],
});

export const receipts: DemoFiling[] = [
  receipt('s01', 1, 11_400_000, -58, '北京星辰化妆品有限公司'),
  receipt('s01', 2, 5_000_000, -5, '北京星辰化妆品有限公司'),
  receipt('s02', 1, 13_000_000, -28, '上海锦绣电子商务有限公司'),
  receipt('s03', 1, 7_500_000, -70, '天津滨海汽车销售有限公司'),
];

export const salesDemo: Required<PackDemo> = {
  assignments: [],
  records: [],
  filings: [...salesContracts, ...salesChanges, ...receipts],
};
