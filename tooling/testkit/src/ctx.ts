import { type Actor, type Clock, createFakeClock, type FakeClock, silentLogger, systemActor } from '@baton/core';
import type { Db, DbCtx } from '@baton/db';

/** An operation context for tests: a fake clock unless one is given, a silent logger, the system actor. */
export function testCtx<C extends Clock = FakeClock>(
  db: Db,
  options: { clock?: C; actor?: Actor } = {},
): DbCtx & { clock: C } {
  return {
    db,
    actor: options.actor ?? systemActor('test'),
    clock: options.clock ?? (createFakeClock() as unknown as C),
    log: silentLogger(),
  };
}
