import type { FlowDefinition, FormDefinition, PackDemo, PackMenu, PackReport, PackRole, PackRule } from '@baton/pack';

// The purchase half of the pack (catalog §2.7, §2.16: F15, F17, supplier archive, F34/F35, budget ledger).
// pack.ts spreads these into definePack; roles with the same code as a sales role are merged (permissions added).

export const purchaseForms: FormDefinition[] = [];
export const purchaseFlows: FlowDefinition[] = [];
export const purchaseRules: PackRule[] = [];
export const purchaseReports: PackReport[] = [];
export const purchaseMenus: PackMenu[] = [];
export const purchaseRoles: PackRole[] = [];
/** Demo data of the purchase side, loaded after the sales side's. */
export const purchaseDemo: Required<PackDemo> = { assignments: [], records: [], filings: [] };
