import type { PackDemo } from '@baton/pack';
import { purchaseDemo } from '../purchase.ts';

/** Demo data in Chinese over the demo organisation (loaded once, at the first install on a demo start). */
const salesDemo: Required<PackDemo> = { assignments: [], records: [], filings: [] };

export const demo: PackDemo = {
  assignments: [...salesDemo.assignments, ...purchaseDemo.assignments],
  records: [...salesDemo.records, ...purchaseDemo.records],
  filings: [...salesDemo.filings, ...purchaseDemo.filings],
};
