import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 付款提醒 (catalog §2.7 reminders: the buyer watches payment dates): three days before an instalment of a purchase
 * contract falls due, at 09:00 China time, the buyer who filed the contract (the line's owner) hears of it — unless
 * it is paid by then. One timer per line, moved when its date changes.
 */
export const paymentDueReminder = defineRule({
  pack: 'contracts',
  key: 'paymentDueReminder',
  name: l('采购合同付款到期前三天提醒采购员', 'Remind the buyer three days before an instalment falls due'),
  on: { form: 'contracts.purchasePaymentLedger', date: { field: 'dueDate', days: -3, at: '09:00' } },
  when: "paid != 'paid'",
  actions: [
    {
      kind: 'notify',
      to: '$record.ownerId',
      title: l('「{item}」将于 {due} 到期，未付 {unpaid} 元', '"{item}" falls due on {due}: {unpaid} unpaid'),
      body: l(
        '合同 {contract}，供应商 {supplier}。请按付款计划发起采购付款申请。',
        'Contract {contract}, supplier {supplier}. File the purchase payment request as planned.',
      ),
      params: {
        item: 'assetName',
        due: "TEXT(dueDate, 'yyyy-MM-dd')",
        unpaid: 'unpaidAmount',
        contract: 'contractNo',
        supplier: 'supplierName',
      },
      category: 'contracts.paymentDue',
    },
  ],
});
