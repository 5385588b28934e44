import { defineForm } from '@baton/pack';
import { l, settlementMethods } from '../labels.ts';

/**
 * 回款登记: finance records money actually received against one instalment of a collection plan (F14 实际回款),
 * named by the contract and the instalment number; the head of their department confirms it (flow
 * `collectionReceipt`). On confirmation the rule `receiptApplied` refuses more than the instalment still expects
 * and adds the amount to the instalment, the plan and the contract archive. A negative amount is a reversal
 * (冲销) of money recorded earlier, and cannot take the instalment below nothing received.
 */
export const collectionReceipt = defineForm({
  pack: 'contracts',
  key: 'collectionReceipt',
  kind: 'flow',
  label: l('回款登记', 'Collection receipt'),
  fields: [
    { key: 'receiptNo', label: l('登记编号', 'Receipt no.'), type: 'serial', pattern: 'HK-{yyyy}{MM}-{seq:4}' },
    // The contract and the instalment number name the plan line (the demo data, which cannot know the ids of lines
    // rules create, records receipts the same way).
    {
      key: 'salesContract',
      label: l('销售合同', 'Sales contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'salesContract' },
      display: 'contractNo',
      required: true,
      fill: { contractNo: 'contractNo', contractName: 'contractName', customerName: 'customerName' },
    },
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', maxLength: 60 },
    { key: 'contractName', label: l('合同名称', 'Contract name'), type: 'text', maxLength: 200 },
    { key: 'customerName', label: l('客户名称', 'Customer'), type: 'text', maxLength: 200 },
    { key: 'period', label: l('回款期数', 'Instalment no.'), type: 'number', scale: 0, min: 1, required: true },
    {
      key: 'receivedDate',
      label: l('回款日期', 'Received on'),
      type: 'date',
      required: true,
      default: { from: 'today' },
    },
    {
      key: 'amount',
      label: l('回款金额', 'Amount received'),
      type: 'money',
      required: true,
      help: l('冲销以前登记的回款时填负数', 'A negative amount reverses money recorded earlier'),
      validation: { expr: 'amount != 0', message: l('回款金额不能为 0', 'The amount cannot be 0') },
    },
    { key: 'method', label: l('回款方式', 'Method'), type: 'select', options: settlementMethods },
    { key: 'payerName', label: l('付款单位', 'Paid by'), type: 'text' },
    { key: 'bankSerial', label: l('银行流水号', 'Bank reference'), type: 'text', maxLength: 60 },
    { key: 'recordedBy', label: l('登记人', 'Recorded by'), type: 'member', default: { from: 'member' } },
    { key: 'note', label: l('备注', 'Note'), type: 'longtext' },
    {
      key: 'opReview',
      label: l('复核意见', 'Review'),
      type: 'opinion',
      node: 'review',
      preset: '已核对银行到账。',
    },
  ],
});
