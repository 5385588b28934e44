import { defineForm } from '@baton/pack';
import { contractCategories, contractKinds, contractStatuses, directions, l, opt } from '../labels.ts';

/**
 * F13 / F16 合同变更审批单: one definition for sales and purchase contracts. Picking the contract fills what the
 * archive holds now (the `current*` fields, read only); the new values are entered beside them, so the change log
 * shows before and after. The contract's kind (filled from the archive) decides the routing.
 */
export const contractChange = defineForm({
  pack: 'contracts',
  key: 'contractChange',
  kind: 'flow',
  label: l('合同变更审批单', 'Contract change request'),
  fields: [
    { key: 'serialNo', label: l('编号', 'No.'), type: 'serial', pattern: 'HTBG-{yyyy}-{seq:4}', reset: 'yearly' },
    { key: 'fillDate', label: l('填写日期', 'Fill date'), type: 'date', default: { from: 'today' } },
    {
      key: 'handlerDept',
      label: l('经办部门', 'Handling department'),
      type: 'department',
      default: { from: 'department' },
    },
    { key: 'handler', label: l('经办人', 'Handler'), type: 'member', default: { from: 'member' } },
    { key: 'ourUnit', label: l('签约单位', 'Contracting unit'), type: 'unit', default: { from: 'unit' } },
    {
      key: 'contractRef',
      label: l('合同名称', 'Contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'contractArchive' },
      display: 'contractName',
      required: true,
      fill: {
        contractKind: 'kind',
        contractStatus: 'contractStatus',
        contractCategory: 'contractCategory',
        contractNo: 'contractNo',
        contractName: 'contractName',
        direction: 'direction',
        currentCounterparty: 'counterpartyName',
        currentAmount: 'contractAmount',
        currentTermStart: 'termStart',
        currentTermEnd: 'termEnd',
      },
    },
    { key: 'contractKind', label: l('合同类型', 'Contract type'), type: 'select', options: contractKinds },
    { key: 'contractStatus', label: l('状态', 'Status'), type: 'select', options: contractStatuses },
    {
      key: 'contractCategory',
      label: l('合同类别', 'Contract category'),
      type: 'select',
      options: contractCategories,
    },
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text' },
    { key: 'contractName', label: l('合同名称（带出）', 'Contract name (filled)'), type: 'text' },
    { key: 'reason', label: l('变更原因', 'Reason for change'), type: 'longtext', required: true },
    {
      key: 'changeScope',
      label: l('变更内容', 'What changes'),
      type: 'checkboxes',
      required: true,
      options: [
        opt('counterparty', '合同相对方', 'Counterparty'),
        opt('amount', '合同金额', 'Contract amount'),
        opt('term', '履行期限', 'Performance term'),
        opt('collectionTerms', '收款约定', 'Collection terms'),
        opt('paymentTerms', '付款约定', 'Payment terms'),
        opt('otherClauses', '其他条款', 'Other clauses'),
      ],
      // What is ticked must come with its new value: the archive takes exactly what the change names.
      validation: {
        expr:
          "(NOT CONTAINS(changeScope, 'counterparty') OR COUNT(counterparties) > 0) AND " +
          "(NOT CONTAINS(changeScope, 'amount') OR NOT ISBLANK(amount)) AND " +
          "(NOT CONTAINS(changeScope, 'term') OR NOT ISBLANK(termStart) OR NOT ISBLANK(termEnd)) AND " +
          "(NOT CONTAINS(changeScope, 'collectionTerms') OR COUNT(collectionTerms) > 0) AND " +
          "(NOT CONTAINS(changeScope, 'paymentTerms') OR COUNT(paymentTerms) > 0) AND " +
          "(NOT CONTAINS(changeScope, 'otherClauses') OR NOT ISBLANK(revisedText))",
        message: l('所选的每项变更内容都须填写变更后的内容', 'Give the new value of everything ticked as changing'),
      },
    },
    { key: 'revisedText', label: l('变更后的文本', 'Revised wording'), type: 'longtext' },
    // What the archive holds now (filled, shown for comparison).
    { key: 'currentCounterparty', label: l('原合同相对方', 'Current counterparty'), type: 'text' },
    { key: 'currentAmount', label: l('原合同金额', 'Current amount'), type: 'money' },
    { key: 'currentTermStart', label: l('原履行期限（起）', 'Current term from'), type: 'date' },
    { key: 'currentTermEnd', label: l('原履行期限（止）', 'Current term until'), type: 'date' },
    // 合同各方.
    { key: 'ourPartyName', label: l('本单位为', 'Our party'), type: 'text' },
    {
      key: 'counterpartyCount',
      label: l('合同相对方（个）', 'Number of counterparties'),
      type: 'formula',
      expr: 'COUNT(counterparties)',
      resultType: 'number',
    },
    {
      key: 'amount',
      label: l('变更后合同金额', 'New contract amount'),
      type: 'money',
      min: 0,
      validation: {
        expr:
          'ISBLANK(amount) OR ((COUNT(collectionTerms) = 0 OR SUM(collectionTerms.amount) = amount) AND ' +
          '(COUNT(paymentTerms) = 0 OR SUM(paymentTerms.amount) = amount))',
        message: l(
          '收款约定、付款约定的金额合计须等于变更后合同金额',
          'Collection and payment terms must each add up to the new contract amount',
        ),
      },
    },
    { key: 'amountUpper', label: l('大写', 'Amount in words'), type: 'moneyUpper', of: 'amount' },
    { key: 'direction', label: l('收款付款', 'Collection or payment'), type: 'select', options: directions },
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
    { key: 'contractFile', label: l('合同文本', 'Contract text'), type: 'attachments' },
    {
      key: 'opHandlerDept',
      label: l('经办部门意见', 'Handling department opinion'),
      type: 'opinion',
      node: 'handlerDept',
      preset: '同意变更。',
    },
    { key: 'opLegal', label: l('法务意见', 'Legal opinion'), type: 'opinion', node: 'legal', preset: '同意。' },
    {
      key: 'opSalesDirector',
      label: l('销售总监意见', "Sales director's opinion"),
      type: 'opinion',
      node: 'salesDirector',
      preset: '同意。',
    },
    {
      key: 'opPurchasingDirector',
      label: l('采购总监意见', "Purchasing director's opinion"),
      type: 'opinion',
      node: 'purchasingDirector',
      preset: '同意。',
    },
    // 经办人员修改情况说明.
    {
      key: 'finalFile',
      label: l('变更后正式文本', 'Final revised text'),
      type: 'attachments',
      help: l(
        '经办人员需按要求上传变更后的合同的电子文档或扫描件',
        'Upload the changed contract as an electronic file or a scan',
      ),
    },
    { key: 'revisionNotes', label: l('修改情况如下', 'Revision notes'), type: 'longtext' },
    { key: 'sealNeeded', label: l('需用印章', 'Seal needed'), type: 'boolean' },
    { key: 'sealType', label: l('印章类型', 'Seal type'), type: 'text' },
    { key: 'copies', label: l('合同份数', 'Copies'), type: 'number', scale: 0, min: 0 },
    // 合同送达归档记录 (P-41).
    { key: 'effectiveDate', label: l('合同生效日期', 'Effective date'), type: 'date' },
    { key: 'deliveredDate', label: l('完成送达各方日期', 'Delivered to all parties'), type: 'date' },
    { key: 'archivedDate', label: l('归档日期', 'Filing date'), type: 'date' },
    // 附：收付款约定.
    {
      key: 'collectionCount',
      label: l('收款约定（次）', 'Collection instalments'),
      type: 'formula',
      expr: 'COUNT(collectionTerms)',
      resultType: 'number',
    },
    {
      key: 'paymentCount',
      label: l('付款约定（次）', 'Payment instalments'),
      type: 'formula',
      expr: 'COUNT(paymentTerms)',
      resultType: 'number',
    },
    { key: 'bankName', label: l('开户银行', 'Bank'), type: 'text' },
    { key: 'bankAccount', label: l('银行账号', 'Account no.'), type: 'text', maxLength: 40 },
  ],
  subtables: [
    {
      key: 'counterparties',
      label: l('合同相对方', 'Counterparties'),
      columns: [
        { key: 'seq', label: l('序号', 'No.'), type: 'formula', expr: '$row', resultType: 'number' },
        { key: 'name', label: l('相对方名称', 'Counterparty name'), type: 'text', required: true },
      ],
    },
    {
      key: 'collectionTerms',
      label: l('收款约定', 'Collection terms'),
      columns: [
        { key: 'seq', label: l('序号', 'No.'), type: 'formula', expr: '$row', resultType: 'number' },
        { key: 'item', label: l('款项内容', 'Item'), type: 'text' },
        { key: 'payer', label: l('付款单位', 'Payer'), type: 'text' },
        { key: 'amount', label: l('应收金额', 'Amount receivable'), type: 'money', min: 0, required: true },
        { key: 'dueDate', label: l('应收日期', 'Due date'), type: 'date', required: true },
        { key: 'condition', label: l('收款条件', 'Condition'), type: 'text' },
      ],
      totals: ['amount'],
    },
    {
      key: 'paymentTerms',
      label: l('付款约定', 'Payment terms'),
      columns: [
        { key: 'seq', label: l('序号', 'No.'), type: 'formula', expr: '$row', resultType: 'number' },
        { key: 'item', label: l('款项内容', 'Item'), type: 'text' },
        { key: 'payee', label: l('收款单位', 'Payee'), type: 'text' },
        { key: 'amount', label: l('应付金额', 'Amount payable'), type: 'money', min: 0, required: true },
        { key: 'dueDate', label: l('应付日期', 'Due date'), type: 'date', required: true },
        { key: 'condition', label: l('付款条件', 'Condition'), type: 'text' },
        { key: 'penalty', label: l('违约责任', 'Liability for breach'), type: 'text' },
      ],
      totals: ['amount'],
    },
  ],
});
