import { type DbCtx, instant, withTx } from '@baton/db';
import * as z from 'zod';
import { channelNames } from './channels/registry.ts';
import { parseInput } from './validate.ts';

/** `kind` is a message kind (`flow.task`) or `*` for every kind without a rule of its own. */
export type Preference = { kind: string; channel: string; enabled: boolean };

export const ANY_KIND = '*';
export const kindPattern = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/;

const preference = z.strictObject({
  kind: z.union([z.literal(ANY_KIND), z.string().max(64).regex(kindPattern)]),
  channel: z.enum(channelNames),
  enabled: z.boolean(),
});
const setInput = z
  .strictObject({ memberId: z.string().min(1).max(64), preferences: z.array(preference).max(500) })
  .refine((v) => new Set(v.preferences.map((p) => `${p.kind}\u0000${p.channel}`)).size === v.preferences.length, {
    message: 'each kind and channel at most once',
    path: ['preferences'],
  });

export async function getPreferences(ctx: DbCtx, input: { memberId: string }): Promise<Preference[]> {
  const data = parseInput(z.strictObject({ memberId: z.string().min(1).max(64) }), input);
  const rows = await ctx.db
    .selectFrom('baton_message_preference')
    .select(['kind', 'channel', 'enabled'])
    .where('memberId', '=', data.memberId)
    .orderBy('kind')
    .orderBy('channel')
    .execute();
  return rows.map((row) => ({ kind: row.kind, channel: row.channel, enabled: Boolean(row.enabled) }));
}

/** Replaces all of a member's choices at once (what the settings page saves). */
export async function setPreferences(
  ctx: DbCtx,
  input: { memberId: string; preferences: Preference[] },
): Promise<Preference[]> {
  const data = parseInput(setInput, input);
  return withTx(ctx, async (tx) => {
    await tx.db.deleteFrom('baton_message_preference').where('memberId', '=', data.memberId).execute();
    if (data.preferences.length > 0) {
      const now = instant(tx.clock.now());
      await tx.db
        .insertInto('baton_message_preference')
        .values(data.preferences.map((p) => ({ memberId: data.memberId, ...p, updatedAt: now })))
        .execute();
    }
    return getPreferences(tx, { memberId: data.memberId });
  });
}

/** The rule for the exact kind wins over `*`, which wins over the channel's default. */
export function channelEnabled(
  preferences: ReadonlyArray<Preference>,
  kind: string,
  channel: { name: string; defaultEnabled: boolean },
): boolean {
  const exact = preferences.find((p) => p.channel === channel.name && p.kind === kind);
  if (exact) return exact.enabled;
  const any = preferences.find((p) => p.channel === channel.name && p.kind === ANY_KIND);
  if (any) return any.enabled;
  return channel.defaultEnabled;
}
