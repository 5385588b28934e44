// Texts of the contracts pack beyond the labels of its forms and flows (which carry both languages themselves).
export const enUS: Record<string, string> = {
  'pack.summary': 'Approval, changes, collection and payment plans and execution of sales and purchase contracts',
  'menu.contracts.hint': 'An approved contract is archived and its collection or payment plan created automatically',
  'contractArchive.hint':
    'The archive is written by the approval flows; changes go through a change request and every one is logged',
  'contractChange.hint': 'To drop a collection term, enter it as 0: the approved change cancels its plan line',
  'menu.purchase.hint': 'An approved purchase contract is archived and its instalments added to the payment base table',
  'purchaseContract.hint':
    'Filing commits the department budget; withdrawal, return, rejection or termination gives it back',
  'purchasePayment.hint':
    'Pick unpaid lines of the payment base table; a line paid or held by another request cannot be paid again',
  'budgetLedger.hint': 'Remaining = budget − committed − paid; requests beyond what remains are refused',
};
