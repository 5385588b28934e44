import type { PackDemo } from '@baton/pack';
import { purchaseDemo } from '../purchase.ts';
import { salesDemo } from './sales.ts';

/** Demo data in Chinese over the demo organisation (loaded once, at the first install on a demo start). */
export const demo: PackDemo = {
  assignments: [...salesDemo.assignments, ...purchaseDemo.assignments],
  records: [...salesDemo.records, ...purchaseDemo.records],
  filings: [...salesDemo.filings, ...purchaseDemo.filings],
};
