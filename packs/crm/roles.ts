import type { PackRole } from '@baton/pack';
import { l } from './labels.ts';

/**
 * Who reaches what (catalog §2.3–2.5, P-60 … P-63). Roles are the organisation's catalog roles, created on an
 * installation that lacks them; `create` gives a member their own records, scopes widen it:
 * - salesperson: own customers, opportunities and service records; files borrowing and service records;
 * - salesDirector: the department and below, with edit rights (leader's instructions, service review);
 * - salesAdmin (销售管理部): every record; decides borrowing requests;
 * - archiveAdmin: decides borrowing requests, reads them all, reads no customer without a grant;
 * - everyone (the platform's implicit role of every active member): anyone may enter an opportunity.
 */
export const roles: PackRole[] = [
  {
    code: 'salesperson',
    name: l('销售人员', 'Salesperson'),
    permissions: [
      { form: 'customerArchive', create: true },
      { form: 'opportunity', create: true },
      { form: 'customerServiceRecord', create: true },
      { form: 'customerArchiveGrant', create: true },
      { flow: 'customerArchiveGrant', start: true },
      { flow: 'customerServiceReview', start: true },
    ],
  },
  {
    code: 'salesDirector',
    name: l('销售总监', 'Sales director'),
    permissions: [
      { form: 'customerArchive', create: true, write: ['departmentAndBelow'] },
      { form: 'opportunity', create: true, write: ['departmentAndBelow'] },
      { form: 'customerServiceRecord', create: true, write: ['departmentAndBelow'] },
      { form: 'customerArchiveGrant', create: true, read: ['departmentAndBelow'] },
      { flow: 'customerArchiveGrant', start: true },
      { flow: 'customerServiceReview', start: true },
    ],
  },
  {
    code: 'salesAdmin',
    name: l('销管人员', 'Sales management staff'),
    permissions: [
      { form: 'customerArchive', create: true, write: ['all'] },
      { form: 'opportunity', create: true, write: ['all'] },
      { form: 'customerServiceRecord', read: ['all'] },
      { form: 'customerArchiveGrant', read: ['all'] },
    ],
  },
  {
    code: 'archiveAdmin',
    name: l('档案管理员', 'Archive administrator'),
    permissions: [{ form: 'customerArchiveGrant', read: ['all'] }],
  },
  {
    code: 'everyone',
    name: l('全体员工', 'Everyone'),
    description: l('所有员工均可录入商机', 'Every employee may enter opportunities'),
    permissions: [{ form: 'opportunity', create: true }],
  },
];
