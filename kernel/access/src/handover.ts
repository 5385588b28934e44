import { type DbCtx, instant } from '@baton/db';
import { appendAudit } from './audit.ts';

/**
 * For org's registerHandover (wired in the composition root): when a member leaves, their sessions,
 * API tokens and grants end in the same transaction. Sign-in, resolveSession and resolveApiToken already
 * refuse members who left; this makes the database say so too. Never blocks a leave (held: 0), and
 * hands nothing to the successor: access is not inherited.
 */
export async function accessMemberLeft(
  ctx: DbCtx,
  input: { memberId: string; successorId: string | null; reason?: 'leave' | 'move' },
): Promise<{ held: number; moved: number; detail: string }> {
  // A transfer (调岗) keeps the member signed in with their own grants: only a leave ends access.
  if (input.reason === 'move') return { held: 0, moved: 0, detail: 'access stays with the member' };
  const at = instant(ctx.clock.now());
  const sessions = await ctx.db
    .updateTable('baton_access_session')
    .set({ revokedAt: at, revokedReason: 'memberLeft' })
    .where('memberId', '=', input.memberId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  const tokens = await ctx.db
    .updateTable('baton_access_api_token')
    .set({ revokedAt: at })
    .where('memberId', '=', input.memberId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  const grants = await ctx.db
    .updateTable('baton_access_grant')
    .set({ revokedAt: at, revokedBy: 'system:memberLeft' })
    .where('memberId', '=', input.memberId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  const counts = {
    sessions: Number(sessions.numUpdatedRows),
    apiTokens: Number(tokens.numUpdatedRows),
    grants: Number(grants.numUpdatedRows),
  };
  await appendAudit(ctx, {
    action: 'access.memberLeft',
    target: { type: 'member', id: input.memberId },
    detail: counts,
  });
  return {
    held: 0,
    moved: 0,
    detail: `revoked ${counts.sessions} session(s), ${counts.apiTokens} API token(s), ${counts.grants} grant(s)`,
  };
}
