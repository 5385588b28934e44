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
