import { defineRule } from '@baton/pack';
import { l } from '../labels.ts';

/** Days without a follow-up after which an open opportunity counts as stale (P-64: reassignment candidates). */
export const STALE_AFTER_DAYS = 30;

/**
 * 借阅到期提醒: the day before a lent customer goes back (the grant ends with `grantTo`, China time), at 09:00,
 * the applicant is told — only for requests that were approved. One timer per request, moved if the period is
 * changed while approving.
 */
export const grantExpiryReminder = defineRule({
  pack: 'crm',
  key: 'grantExpiryReminder',
  name: l('借阅到期前一天提醒申请人', 'Remind the applicant the day before a borrowing ends'),
  on: { form: 'crm.customerArchiveGrant', date: { field: 'grantTo', days: -1, at: '09:00' } },
  when: "$record.state = 'approved'",
  actions: [
    {
      kind: 'notify',
      to: 'applicant',
      title: l('客户档案借阅将于 {until} 到期', 'Your access to a customer archive ends on {until}'),
      body: l(
        '借阅期满后将自动收回查阅权限；如需继续查阅，请重新提交借阅申请。',
        'Access is withdrawn automatically when the period ends; file a new request to keep reading it.',
      ),
      params: { until: "TEXT(grantTo, 'yyyy-MM-dd')" },
      category: 'crm.grantExpiry',
    },
  ],
});

/**
 * 商机跟进提醒: every Monday at 09:00, an open opportunity (not won or lost) whose last follow-up — or entry, if it
 * has none — is more than 30 days old is brought to its sales manager A.
 */
export const staleOpportunityReminder = defineRule({
  pack: 'crm',
  key: 'staleOpportunityReminder',
  name: l('商机超过 30 天未跟进提醒', 'Opportunities without a follow-up for 30 days'),
  on: { form: 'crm.opportunity', schedule: { cron: '0 9 * * 1' } },
  when: `stage != 'won' AND stage != 'lost' AND DAYS(TODAY(), COALESCE(MAX(followUps.date), enteredAt)) > ${STALE_AFTER_DAYS}`,
  actions: [
    {
      kind: 'notify',
      to: 'salesManagerA',
      title: l('商机「{customer}」已 {days} 天未跟进', 'No follow-up on "{customer}" for {days} days'),
      params: {
        customer: 'customerName',
        days: 'DAYS(TODAY(), COALESCE(MAX(followUps.date), enteredAt))',
      },
      category: 'crm.staleOpportunity',
    },
  ],
});
