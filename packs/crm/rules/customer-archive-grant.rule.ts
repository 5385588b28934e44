import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * 借阅授权 (P-63): an approved borrowing request lends the customer to the applicant, read only, until the end of
 * the request's last day (China time); the access engine ends it at expiry by itself. A withdrawn or terminated
 * request takes the grant back (the rule engine's compensation).
 */
export const grantOnApproval = defineRule({
  pack: 'crm',
  key: 'grantOnApproval',
  name: l('借阅批准后授权查阅', 'Lend the customer when borrowing is approved'),
  on: { flow: 'crm.customerArchiveGrant', events: ['approved'] },
  actions: [
    {
      kind: 'grant',
      form: 'crm.customerArchive',
      record: 'customerRef',
      member: 'applicant',
      access: 'read',
      until: 'grantTo',
      reason: 'reason',
    },
  ],
});
