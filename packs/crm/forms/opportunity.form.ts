import { defineForm } from '@baton/pack';
import { l, opt, regions, yesNo } from '../labels.ts';

const industriesL1 = [
  opt('internet', '互联网', 'Internet'),
  opt('finance', '金融', 'Finance'),
  opt('manufacturing', '制造', 'Manufacturing'),
  opt('retail', '零售', 'Retail'),
  opt('education', '教育', 'Education'),
  opt('government', '政府', 'Government'),
];

// Second-level codes start with their first-level code, so a validation can tie the two together (the picker
// that narrows the list by industryL1 is a web concern).
const industriesL2 = [
  opt('internet-ecommerce', '电子商务', 'E-commerce'),
  opt('internet-games', '网络游戏', 'Online games'),
  opt('internet-saas', '企业服务', 'Enterprise software'),
  opt('finance-bank', '银行', 'Banking'),
  opt('finance-insurance', '保险', 'Insurance'),
  opt('finance-payment', '支付', 'Payments'),
  opt('manufacturing-auto', '汽车制造', 'Automotive'),
  opt('manufacturing-electronics', '电子制造', 'Electronics'),
  opt('retail-chain', '连锁零售', 'Chain retail'),
  opt('retail-fmcg', '快消品', 'FMCG'),
  opt('education-k12', '基础教育', 'K-12'),
  opt('education-vocational', '职业教育', 'Vocational training'),
  opt('government-city', '市政', 'City services'),
];

export const stages = [
  opt('lead', '线索', 'Lead'),
  opt('qualified', '已确认', 'Qualified'),
  opt('proposal', '方案报价', 'Proposal'),
  opt('negotiation', '商务谈判', 'Negotiation'),
  opt('won', '赢单', 'Won'),
  opt('lost', '输单', 'Lost'),
];

/**
 * F10 客户商机录入: an opportunity record, open to every member for entry, followed up over time (no approval;
 * stays editable). It may reference a customer of the archive, which fills the name and address.
 * Visibility (P-60, P-64): its owner, the sales managers A/B and the regional manager named on it (they edit
 * it), and the first three supervisors of the owner and of those named, as the org stands now (they read it).
 * `supervisorL1`–`L3` are what the entering member wrote down; they grant nothing, so a reorganisation cannot
 * leave a stale copy with access.
 */
export const opportunity = defineForm({
  pack: 'crm',
  key: 'opportunity',
  kind: 'archive',
  label: l('客户商机', 'Opportunity'),
  assignedTo: { fields: ['salesManagerA', 'salesManagerB', 'regionalManager'], supervisorLevels: 3 },
  fields: [
    {
      key: 'customerNo',
      label: l('客户编号', 'Customer no.'),
      type: 'reference',
      form: { pack: 'crm', key: 'customerArchive' },
      display: 'customerNo',
      fill: { customerName: 'companyName', address: 'address' },
      help: l('全新潜在客户可不填', 'Leave empty for a brand-new prospect'),
    },
    { key: 'customerName', label: l('客户名称', 'Customer name'), type: 'text', required: true },
    {
      key: 'customerSource',
      label: l('客户来源', 'Customer source'),
      type: 'select',
      options: [
        opt('archive', '档案转化', 'Converted from archive'),
        opt('inboundCall', '来电', 'Inbound call'),
        opt('channel', '渠道', 'Channel'),
        opt('other', '其他', 'Other'),
      ],
    },
    {
      key: 'businessType',
      label: l('业务类型', 'Business type'),
      type: 'select',
      options: [
        opt('newDeal', '新签', 'New business'),
        opt('renewal', '续约', 'Renewal'),
        opt('upsell', '增购', 'Upsell'),
        opt('other', '其他', 'Other'),
      ],
    },
    { key: 'enteredBy', label: l('录入人员', 'Entered by'), type: 'member', default: { from: 'member' } },
    { key: 'enteredAt', label: l('录入日期', 'Entry date'), type: 'date', default: { from: 'today' } },
    { key: 'address', label: l('客户地址', 'Customer address'), type: 'text' },
    {
      key: 'customerCategory',
      label: l('客户分类', 'Customer category'),
      type: 'select',
      options: [
        opt('key', '重点客户', 'Key account'),
        opt('regular', '一般客户', 'Regular'),
        opt('prospect', '潜在客户', 'Prospect'),
      ],
    },
    { key: 'region', label: l('所在区域', 'Region'), type: 'select', options: regions },
    // 所在省 / 所在市: one cascading region value [province, city] (6-digit administrative codes).
    { key: 'provinceCity', label: l('所在省/市', 'Province / city'), type: 'region', levels: 2 },
    { key: 'regionalManager', label: l('区域经理', 'Regional manager'), type: 'member' },
    { key: 'supervisorL1', label: l('一级主管', '1st-level supervisor'), type: 'member' },
    { key: 'supervisorL2', label: l('二级主管', '2nd-level supervisor'), type: 'member' },
    { key: 'supervisorL3', label: l('三级主管', '3rd-level supervisor'), type: 'member' },
    {
      key: 'salesManagerA',
      label: l('销售经理A', 'Sales manager A'),
      type: 'member',
      default: { from: 'member' },
    },
    { key: 'salesManagerB', label: l('销售经理B', 'Sales manager B'), type: 'member' },
    { key: 'industryL1', label: l('一级行业', 'Industry level 1'), type: 'select', options: industriesL1 },
    {
      key: 'industryL2',
      label: l('二级行业', 'Industry level 2'),
      type: 'select',
      options: industriesL2,
      validation: {
        expr: "ISBLANK(industryL2) OR LEFT(industryL2, LEN(industryL1) + 1) = industryL1 & '-'",
        message: l('二级行业须属于所选一级行业', 'The level-2 industry must belong to the level-1 industry'),
      },
    },
    { key: 'competitors', label: l('竞争对手', 'Competitors'), type: 'text' },
    { key: 'userCount', label: l('使用人数', 'Number of users'), type: 'number', scale: 0, min: 0 },
    { key: 'budgetInfo', label: l('预算情况', 'Budget situation'), type: 'text' },
    { key: 'isTrial', label: l('是否试用', 'Trial?'), type: 'radio', options: yesNo },
    { key: 'presalesNeeds', label: l('售前要求', 'Pre-sales requirements'), type: 'longtext' },
    { key: 'currentSoftware', label: l('软件使用情况', 'Current software in use'), type: 'longtext' },
    { key: 'materialNeeds', label: l('资料要求', 'Material requested'), type: 'longtext' },
    { key: 'needs', label: l('需求', 'Needs'), type: 'longtext' },
    // (implied) the sales stage the workflow names, and what the deal is expected to be worth.
    {
      key: 'stage',
      label: l('销售阶段', 'Sales stage'),
      type: 'select',
      options: stages,
      required: true,
      default: 'lead',
    },
    { key: 'expectedAmount', label: l('预计金额', 'Expected amount'), type: 'money', min: 0 },
  ],
  subtables: [
    {
      key: 'contacts',
      label: l('联系方式', 'Contacts'),
      columns: [
        { key: 'name', label: l('客户联系人', 'Customer contact'), type: 'text' },
        { key: 'phone', label: l('客户电话', 'Phone'), type: 'text', maxLength: 40 },
        { key: 'title', label: l('职位', 'Title'), type: 'text' },
        { key: 'fax', label: l('传真', 'Fax'), type: 'text', maxLength: 40 },
        { key: 'email', label: l('E-MAIL', 'E-mail'), type: 'text' },
        { key: 'other', label: l('其他', 'Other'), type: 'text' },
      ],
    },
    // (implied) every follow-up is recorded: date, stage reached, what happened, what comes next.
    {
      key: 'followUps',
      label: l('跟进记录', 'Follow-ups'),
      columns: [
        { key: 'date', label: l('跟进日期', 'Date'), type: 'date', required: true },
        { key: 'stage', label: l('阶段', 'Stage'), type: 'select', options: stages },
        { key: 'note', label: l('跟进情况', 'Note'), type: 'longtext' },
        { key: 'nextStep', label: l('下一步', 'Next step'), type: 'text' },
      ],
    },
  ],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('基本信息', 'Basic information'),
        rows: [
          [
            { field: 'customerNo', span: 8 },
            { field: 'customerName', span: 16 },
          ],
          [
            { field: 'customerSource', span: 6 },
            { field: 'businessType', span: 6 },
            { field: 'enteredBy', span: 6 },
            { field: 'enteredAt', span: 6 },
          ],
          [
            { field: 'address', span: 16 },
            { field: 'customerCategory', span: 8 },
          ],
          [
            { field: 'region', span: 8 },
            { field: 'provinceCity', span: 8 },
            { field: 'regionalManager', span: 8 },
          ],
          [
            { field: 'supervisorL1', span: 8 },
            { field: 'supervisorL2', span: 8 },
            { field: 'supervisorL3', span: 8 },
          ],
          [
            { field: 'salesManagerA', span: 12 },
            { field: 'salesManagerB', span: 12 },
          ],
        ],
      },
      { key: 'contacts', title: l('联系方式', 'Contacts'), rows: [[{ field: 'contacts' }]] },
      {
        key: 'opportunity',
        title: l('商机信息', 'Opportunity information'),
        rows: [
          [
            { field: 'industryL1', span: 8 },
            { field: 'industryL2', span: 8 },
            { field: 'competitors', span: 8 },
          ],
          [
            { field: 'userCount', span: 6 },
            { field: 'budgetInfo', span: 6 },
            { field: 'isTrial', span: 6 },
            { field: 'stage', span: 6 },
          ],
          [{ field: 'expectedAmount', span: 8 }],
          [{ field: 'presalesNeeds' }],
          [{ field: 'currentSoftware' }],
          [{ field: 'materialNeeds' }],
          [{ field: 'needs' }],
        ],
      },
      { key: 'followUps', title: l('跟进记录', 'Follow-ups'), rows: [[{ field: 'followUps' }]] },
    ],
  },
});
