import { defineForm, type FieldDefinition } from '@baton/pack';
import { contractCategories, contractKinds, contractStatuses, directions, l, productTypes } from '../labels.ts';

/**
 * Fields only a sales contract writes (F12 → archive). Kept apart so both halves of the pack can add theirs
 * without touching the shared ones.
 */
const salesFields: FieldDefinition[] = [
  // The approved F12 request: its opinions are archived with the contract (P-45) by this drill-through.
  {
    key: 'salesContract',
    label: l('销售合同审批单', 'Sales contract approval'),
    type: 'reference',
    form: { pack: 'contracts', key: 'salesContract' },
    display: 'contractNo',
  },
  { key: 'productType', label: l('产品类型', 'Product type'), type: 'select', options: productTypes },
];

/** Fields only a purchase contract writes (F15 → archive); owned by the purchase side. */
const purchaseFields: FieldDefinition[] = [
  {
    key: 'supplierRef',
    label: l('供应商', 'Supplier'),
    type: 'reference',
    form: { pack: 'contracts', key: 'supplierArchive' },
    display: 'supplierName',
  },
  // The budget line the contract committed (P-53): termination or completion gives back what was not paid.
  {
    key: 'budgetRef',
    label: l('预算科目', 'Budget line'),
    type: 'reference',
    form: { pack: 'contracts', key: 'budgetLedger' },
    display: 'lineName',
  },
  {
    key: 'purchaseContractRef',
    label: l('采购合同审批单', 'Purchase contract approval'),
    type: 'reference',
    form: { pack: 'contracts', key: 'purchaseContract' },
    display: 'docNo',
  },
];

/**
 * 合同信息表: one archive for sales and purchase contracts (catalog §2.6, §2.7), one record per contract, written
 * by the approval rules (F12, F15) and updated by approved changes (F13/F16) with a change log that drills through
 * to each change request (P-52). The contract number is unique across both kinds.
 */
export const contractArchive = defineForm({
  pack: 'contracts',
  key: 'contractArchive',
  kind: 'archive',
  label: l('合同信息表', 'Contract archive'),
  fields: [
    { key: 'kind', label: l('合同类型', 'Contract type'), type: 'select', options: contractKinds, required: true },
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', maxLength: 60, required: true },
    { key: 'contractName', label: l('合同名称', 'Contract name'), type: 'text' },
    {
      key: 'contractCategory',
      label: l('合同类别', 'Contract category'),
      type: 'select',
      options: contractCategories,
    },
    {
      key: 'contractStatus',
      label: l('合同状态', 'Contract status'),
      type: 'select',
      options: contractStatuses,
      required: true,
      default: 'inForce',
    },
    // The other party: the customer of a sales contract, the supplier of a purchase contract.
    { key: 'counterpartyName', label: l('合同相对方', 'Counterparty'), type: 'text', required: true },
    { key: 'counterpartyCode', label: l('客户/供应商编码', 'Customer / supplier code'), type: 'text' },
    { key: 'ourUnit', label: l('签约单位', 'Contracting unit'), type: 'unit' },
    { key: 'handlerDept', label: l('经办部门', 'Handling department'), type: 'department' },
    { key: 'handler', label: l('经办人', 'Handler'), type: 'member' },
    { key: 'signDate', label: l('签订日期', 'Signing date'), type: 'date' },
    { key: 'contractAmount', label: l('合同金额', 'Contract amount'), type: 'money', min: 0, required: true },
    {
      key: 'contractAmountUpper',
      label: l('合同金额（大写）', 'Amount in words'),
      type: 'moneyUpper',
      of: 'contractAmount',
    },
    { key: 'direction', label: l('收款付款', 'Collection or payment'), type: 'select', options: directions },
    // What has come in (sales) or gone out (purchase) so far: each receipt or payment adds to it.
    {
      key: 'settledAmount',
      label: l('已收/已付金额', 'Collected / paid so far'),
      type: 'money',
      min: 0,
      default: 0,
    },
    {
      key: 'outstandingAmount',
      label: l('未收/未付金额', 'Outstanding'),
      type: 'formula',
      expr: 'contractAmount - settledAmount',
      resultType: 'money',
    },
    { key: 'termStart', label: l('履行期限（起）', 'Term from'), type: 'date' },
    {
      key: 'termEnd',
      label: l('履行期限（止）', 'Term until'),
      type: 'date',
      validation: {
        expr: 'ISBLANK(termEnd) OR ISBLANK(termStart) OR termEnd >= termStart',
        message: l('履行期限的结束日期不能早于开始日期', 'The term cannot end before it starts'),
      },
    },
    { key: 'productSummary', label: l('产品/服务', 'Products / services'), type: 'text', maxLength: 1000 },
    { key: 'changeCount', label: l('变更次数', 'Changes'), type: 'number', scale: 0, min: 0, default: 0 },
    { key: 'lastChangeNo', label: l('最近变更单号', 'Latest change no.'), type: 'text' },
    ...salesFields,
    ...purchaseFields,
    { key: 'remark', label: l('备注', 'Remarks'), type: 'longtext' },
  ],
  keys: [['contractNo']],
});
