import type { PackDemo } from '@baton/pack';
import { customers } from './customers.ts';
import { grants } from './grants.ts';
import { opportunities } from './opportunities.ts';
import { services } from './services.ts';

/** Demo data in Chinese over the demo organisation (loaded once, at the first install on a demo start). */
export const demo: PackDemo = {
  // Anyone may enter an opportunity: every demo member holds opportunityEntry.
  assignments: [{ role: 'opportunityEntry', members: 'everyone' }],
  records: [...customers, ...opportunities],
  filings: [...services, ...grants],
};
