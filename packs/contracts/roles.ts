import type { PackRole } from '@baton/pack';
import { l } from './labels.ts';
import { purchaseRoles } from './purchase.ts';

/**
 * Who reaches what on the sales side (catalog §2.6 roles). Record scopes are SQL in kernel/form; archive records
 * written by rules belong to the request's initiator.
 * - salesperson: files sales contracts and changes; reads the team's (department's) contracts and plans;
 * - salesDirector: reviews; reads the department and below;
 * - legalStaff: reviews contracts and changes; reads every contract;
 * - financeStaff: records receipts against plan lines; reads every contract and plan.
 */
const salesRoles: PackRole[] = [
  {
    code: 'salesperson',
    name: l('销售人员', 'Salesperson'),
    permissions: [
      { form: 'contractArchive', read: ['department'] },
      { form: 'contractChange', create: true },
      { flow: 'contractChange', start: true },
    ],
  },
  {
    code: 'salesDirector',
    name: l('销售总监', 'Sales director'),
    permissions: [
      { form: 'contractArchive', read: ['departmentAndBelow'] },
      { form: 'contractChange', create: true, read: ['departmentAndBelow'] },
      { flow: 'contractChange', start: true },
    ],
  },
  {
    code: 'legalStaff',
    name: l('法务人员', 'Legal staff'),
    permissions: [
      { form: 'contractArchive', read: ['all'] },
      { form: 'contractChange', read: ['all'] },
    ],
  },
  // Reviews purchase contract changes (the change request is shared); the purchase side adds its own rights.
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
    permissions: [{ form: 'contractArchive', read: ['all'] }],
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
