import { definePermission, isPermission, permissionsOf } from '@baton/access';
import type { DbCtx } from '@baton/db';
import type { Caller } from '../gate.ts';
import type { Permission } from '../routes.ts';
import { principalOf } from './forms-permissions.ts';

// Who may do what with approval flows. Two static permissions, `flow.design` (publish definitions, file any
// flow) and `flow.admin` (read every instance, jump), and per published flow one declared at run time, as
// form permissions are: `flow.<pack>.<key>.start`, filing a request on that flow. Acting on a task needs no
// permission: being its assignee is the right, and the engine checks it.

export const FlowPermissions = {
  design: definePermission('flow.design', { zh: '设计与发布流程', en: 'Design and publish flows' }) as Permission,
  admin: definePermission('flow.admin', {
    zh: '管理流程实例（查看全部、跳转）',
    en: 'Administer flow instances (read all, jump)',
  }) as Permission,
} as const;

/** Declares `flow.<pack>.<key>.start` (idempotent), so a role can be granted it before anyone files. */
export function declareFlowPermissions(pack: string, key: string): void {
  definePermission(`flow.${pack}.${key}.start`, { zh: `流程 ${pack}.${key}：发起`, en: `Flow ${pack}.${key}: file` });
}

/** The start permission of one flow (declared first). */
export function flowStartPermission(pack: string, key: string): Permission {
  declareFlowPermissions(pack, key);
  const code = `flow.${pack}.${key}.start`;
  if (!isPermission(code)) throw new TypeError(`flows: "${code}" is not a flow permission`);
  return code as Permission;
}

/** Whether a set of held permissions lets the caller file `pack.key` (pure: testable without a database). */
export function canStart(held: ReadonlySet<string>, pack: string, key: string): boolean {
  return held.has(FlowPermissions.design) || held.has(`flow.${pack}.${key}.start`);
}

/** The caller's held permissions, computed per call from their roles (no cache to go stale). */
export async function heldPermissions(ctx: DbCtx, caller: Caller): Promise<ReadonlySet<string>> {
  return permissionsOf(ctx, principalOf(caller));
}
