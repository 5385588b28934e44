import { CoreErrors } from '@baton/core';
import { type DbCtx, readSetting, type StoredSetting, writeSetting } from '@baton/db';
import { z } from 'zod';
import { parseInput } from './validate.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Sign-in and session limits. Every operation that uses them takes an optional partial policy, so the
 * server passes what it read from its configuration; the defaults are safe for an office deployment.
 */
export type AccessPolicy = {
  /** Failed sign-ins for one login within `loginWindowMs` that lock it. */
  loginMaxFailures: number;
  loginWindowMs: number;
  /** How long a locked login stays locked. */
  lockMs: number;
  /**
   * Failed sign-ins from one client address within `ipWindowMs` before that address is refused. A whole
   * office often shares one NAT address: raise this rather than set it to a few.
   */
  ipMaxFailures: number;
  ipWindowMs: number;
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however busy. */
  sessionAbsoluteMs: number;
  /** last_seen is written at most this often per session (reads stay reads). */
  sessionTouchMs: number;
};

export const defaultAccessPolicy: Readonly<AccessPolicy> = Object.freeze({
  loginMaxFailures: 5,
  loginWindowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  ipMaxFailures: 20,
  ipWindowMs: 15 * MINUTE,
  sessionIdleMs: 2 * HOUR,
  sessionAbsoluteMs: 12 * HOUR,
  sessionTouchMs: MINUTE,
});

const ms = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * HOUR);
const policySchema = z
  .strictObject({
    loginMaxFailures: z.number().int().min(1).max(1_000),
    loginWindowMs: ms,
    lockMs: ms,
    ipMaxFailures: z.number().int().min(1).max(1_000_000),
    ipWindowMs: ms,
    sessionIdleMs: ms,
    sessionAbsoluteMs: ms,
    sessionTouchMs: z.number().int().min(0).max(HOUR),
  })
  .partial();

export function resolvePolicy(overrides: Partial<AccessPolicy> | undefined): AccessPolicy {
  if (!overrides) return defaultAccessPolicy;
  return { ...defaultAccessPolicy, ...parseInput(policySchema, overrides) };
}

/** Where the administrator's changes to the policy are kept (kernel/db settings). */
export const ACCESS_POLICY_SETTING = 'access.policy';

/** The part of the policy an administrator changes at run time (系统设置); the rest stays as built. */
export type AccessSettings = Pick<
  AccessPolicy,
  'sessionIdleMs' | 'sessionAbsoluteMs' | 'loginMaxFailures' | 'lockMs' | 'ipMaxFailures'
>;

const settingKeys = ['sessionIdleMs', 'sessionAbsoluteMs', 'loginMaxFailures', 'lockMs', 'ipMaxFailures'] as const;

// Bounds that keep a mistyped value from locking everyone out or keeping sessions open for months.
const settingsSchema = z
  .strictObject({
    sessionIdleMs: z
      .number()
      .int()
      .min(5 * MINUTE)
      .max(24 * HOUR),
    sessionAbsoluteMs: z
      .number()
      .int()
      .min(HOUR)
      .max(30 * 24 * HOUR),
    loginMaxFailures: z.number().int().min(3).max(20),
    lockMs: z
      .number()
      .int()
      .min(MINUTE)
      .max(24 * HOUR),
    ipMaxFailures: z.number().int().min(5).max(100_000),
  })
  .partial();

export type AccessSettingsView = {
  /** What applies now: stored values over the built-in defaults. */
  values: AccessSettings;
  defaults: AccessSettings;
  /** When and by whom they were last changed; null while the defaults apply. */
  updatedAt: string | null;
  updatedBy: string | null;
};

function pickSettings(policy: AccessPolicy): AccessSettings {
  return Object.fromEntries(settingKeys.map((key) => [key, policy[key]])) as AccessSettings;
}

/** The stored overrides, read through today's bounds: a value out of them (an older build's) is ignored. */
async function storedSettings(ctx: DbCtx): Promise<{ values: Partial<AccessSettings>; stored?: StoredSetting }> {
  const stored = await readSetting(ctx, ACCESS_POLICY_SETTING);
  if (!stored) return { values: {} };
  if (!stored.value || typeof stored.value !== 'object') return { values: {}, stored };
  const values: Partial<AccessSettings> = {};
  for (const key of settingKeys) {
    const checked = settingsSchema.shape[key].safeParse((stored.value as Record<string, unknown>)[key]);
    if (checked.success && checked.data !== undefined) values[key] = checked.data;
  }
  return { values, stored };
}

/** The policy sign-in uses: the built-in defaults, the administrator's settings, then the caller's overrides. */
export async function effectivePolicy(ctx: DbCtx, overrides: Partial<AccessPolicy> = {}): Promise<AccessPolicy> {
  const { values } = await storedSettings(ctx);
  return resolvePolicy({ ...values, ...overrides });
}

/** The session and sign-in limits as they apply now, with the defaults and the last change. */
export async function getAccessSettings(ctx: DbCtx): Promise<AccessSettingsView> {
  const { values, stored } = await storedSettings(ctx);
  return {
    values: pickSettings({ ...defaultAccessPolicy, ...values }),
    defaults: pickSettings(defaultAccessPolicy),
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/**
 * Changes some of the session and sign-in limits (others keep their value). Every problem comes back at once
 * with its path (CORE_VALIDATION_FAILED); a session may not idle longer than it lives. Applies to sign-ins from
 * now on: a session keeps the limits it was opened with. Joins the caller's transaction; the caller audits.
 */
export async function updateAccessSettings(
  ctx: DbCtx,
  changes: Partial<AccessSettings>,
): Promise<{ before: AccessSettings; after: AccessSettings }> {
  const data = parseInput(settingsSchema, changes);
  const current = await getAccessSettings(ctx);
  const after = { ...current.values, ...data };
  if (after.sessionIdleMs > after.sessionAbsoluteMs) {
    throw CoreErrors.validation.create(
      {},
      {
        fields: [
          {
            path: [data.sessionIdleMs !== undefined ? 'sessionIdleMs' : 'sessionAbsoluteMs'],
            code: 'idle_longer_than_session',
            message: 'a session cannot idle longer than it lasts',
          },
        ],
      },
    );
  }
  const { values } = await storedSettings(ctx);
  await writeSetting(ctx, { key: ACCESS_POLICY_SETTING, value: { ...values, ...data } });
  return { before: current.values, after };
}
