import type { PackRole } from '@baton/pack';
import { l } from './labels.ts';
import { purchaseRoles } from './purchase.ts';

/**
 * Who reaches what on the sales side (catalog §2.6 roles). Record scopes are SQL in kernel/form; archive records
 * written by rules belong to the request's initiator.
 * - salesperson: files sales contracts (F12) and changes; reads the department's contracts and plan lines
 *   (kernel/pack grants a member their own records only with the right to create them, and archive records are
 *   written by rules, not by hand);
 * - salesDirector: reviews; reads the department and below;
 * - legalStaff: reviews contracts and changes; reads every contract;
 * - financeStaff: keeps the collection plans (edits dates, methods), records receipts; reads every contract.
 */
const salesRoles: PackRole[] = [
  {
    code: 'salesperson',
    name: l('销售人员', 'Salesperson'),
    permissions: [
      { form: 'salesContract', create: true },
      { flow: 'salesContract', start: true },
      { form: 'contractArchive', read: ['department'] },
      { form: 'collectionPlan', read: ['department'] },
      { form: 'collectionInstalment', read: ['department'] },
      { form: 'contractChange', create: true },
      { flow: 'contractChange', start: true },
    ],
  },
  {
    code: 'salesDirector',
    name: l('销售总监', 'Sales director'),
    permissions: [
      { form: 'salesContract', create: true, read: ['departmentAndBelow'] },
      { flow: 'salesContract', start: true },
      { form: 'contractArchive', read: ['departmentAndBelow'] },
      { form: 'collectionPlan', read: ['departmentAndBelow'] },
      { form: 'collectionInstalment', read: ['departmentAndBelow'] },
      { form: 'contractChange', create: true, read: ['departmentAndBelow'] },
      { flow: 'contractChange', start: true },
    ],
  },
  {
    code: 'legalStaff',
    name: l('法务人员', 'Legal staff'),
    permissions: [
      { form: 'salesContract', read: ['all'] },
      { form: 'contractArchive', read: ['all'] },
      { form: 'contractChange', read: ['all'] },
    ],
  },
  // Files changes of purchase contracts (the change request is shared); the purchase side adds its own rights.
  {
    code: 'buyer',
    name: l('采购员', 'Buyer'),
    permissions: [
      { form: 'contractChange', create: true },
      { flow: 'contractChange', start: true },
    ],
  },
  // Reviews purchase contract changes; the purchase side adds its own rights.
  {
    code: 'purchasingDirector',
    name: l('采购总监', 'Purchasing director'),
    permissions: [
      { form: 'contractChange', create: true, read: ['departmentAndBelow'] },
      { flow: 'contractChange', start: true },
    ],
  },
  {
    code: 'financeStaff',
    name: l('财务人员', 'Finance staff'),
    permissions: [
      { form: 'salesContract', read: ['all'] },
      { form: 'contractArchive', read: ['all'] },
      { form: 'collectionPlan', write: ['all'] },
      { form: 'collectionInstalment', write: ['all'] },
      { form: 'collectionReceipt', create: true, read: ['all'] },
      { flow: 'collectionReceipt', start: true },
    ],
  },
];

/** One role per code: the permissions both halves of the pack give it, in order. */
export function mergeRoles(...lists: PackRole[][]): PackRole[] {
  const byCode = new Map<string, PackRole>();
  for (const role of lists.flat()) {
    const seen = byCode.get(role.code);
    byCode.set(role.code, seen ? { ...seen, permissions: [...seen.permissions, ...role.permissions] } : role);
  }
  return [...byCode.values()];
}

export const roles: PackRole[] = mergeRoles(salesRoles, purchaseRoles);
