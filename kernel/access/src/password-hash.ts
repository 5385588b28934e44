import { hash, type Options, parseOptions, verify } from '@node-rs/argon2';
import { randomToken } from './crypto.ts';

/**
 * argon2id with OWASP's first recommended configuration (Password Storage Cheat Sheet): 19 MiB of
 * memory, 2 passes, 1 lane, 32-byte output, 16-byte random salt (argon2 picks it). About 80 ms on one
 * core: cheap for one sign-in, ruinous for a GPU farm working through a stolen table. The parameters
 * are in every stored PHC string, so raising them later rehashes each member at their next sign-in.
 */
export const passwordHashParams = Object.freeze({
  algorithm: 'argon2id',
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const);

// @node-rs/argon2's Algorithm is a const enum, which isolatedModules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

const options: Options = {
  algorithm: ARGON2ID,
  memoryCost: passwordHashParams.memoryCost,
  timeCost: passwordHashParams.timeCost,
  parallelism: passwordHashParams.parallelism,
  outputLen: passwordHashParams.outputLen,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** False for a wrong password and for a malformed stored hash (which must never let anyone in). */
export async function verifyPasswordHash(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when `stored` was made with other parameters than today's (then it is rehashed on success). */
export function needsRehash(stored: string): boolean {
  try {
    const parsed = parseOptions(stored);
    return (
      parsed.algorithm !== ARGON2ID ||
      parsed.memoryCost !== options.memoryCost ||
      parsed.timeCost !== options.timeCost ||
      parsed.parallelism !== options.parallelism ||
      parsed.outputLen !== options.outputLen
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with today's parameters. Verifying against it when a login is unknown
 * costs the same as verifying a real member's password, so response time does not tell whether the
 * login exists.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomToken(24));
  return dummy;
}
