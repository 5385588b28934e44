import type { PackDemo } from '@baton/pack';
import { customers } from './customers.ts';
import { grants } from './grants.ts';
import { opportunities } from './opportunities.ts';
import { services } from './services.ts';

/** Demo data in Chinese over the demo organisation (loaded once, at the first install on a demo start). */
export const demo: PackDemo = {
  // Anyone may enter an opportunity through the platform's implicit role `everyone`: nothing to assign.
  assignments: [],
  records: [...customers, ...opportunities],
  filings: [...services, ...grants],
};
