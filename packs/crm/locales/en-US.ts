// Texts of the CRM pack beyond the labels of its forms and flows (which carry both languages themselves).
export const enUS: Record<string, string> = {
  'pack.summary': 'Customer archive, archive borrowing, opportunity follow-up and customer service records',
  'menu.crm.hint': 'Use matters more than filing: keep customer archives alive',
  'customerArchive.confidential':
    'Customer archives are confidential; reading another team’s needs an approved borrowing request',
  'customerArchiveGrant.hint': 'Borrowing lasts 7 days by default, ends at expiry, with a reminder the day before',
  'opportunity.hint': 'Record every follow-up; opportunities left without one are reassigned by sales management',
  'customerServiceRecord.hint': 'Pick the customer from the archive: its address and contact are filled in',
  'role.everyone': 'Every employee may enter opportunities',
};
