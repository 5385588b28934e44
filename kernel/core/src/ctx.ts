import type { Clock } from './clock.ts';
import type { Locale } from './locale.ts';
import type { Logger } from './log.ts';

/** Who is acting: a signed-in member, the platform itself (worker, migrations, rules), or nobody yet. */
export type Actor =
  | { kind: 'member'; memberId: string; locale?: Locale }
  | { kind: 'system'; name: string }
  | { kind: 'anonymous' };

export const systemActor = (name: string): Actor => Object.freeze({ kind: 'system', name });
export const anonymousActor: Actor = Object.freeze({ kind: 'anonymous' });

/**
 * What every engine operation `op(ctx, input)` receives. `Db` is kernel/db's Kysely or Transaction:
 * core depends on nothing, so the database type is a parameter here and fixed by kernel/db.
 */
export type Ctx<Db = unknown> = {
  db: Db;
  actor: Actor;
  clock: Clock;
  log: Logger;
};
