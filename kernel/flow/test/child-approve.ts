// Run by concurrency.int.test.ts through spawnChild: approves one task from another process (on SQLite the
// only way to get a second writer that really waits on the first one's lock).
import { createFakeClock, isBatonError } from '@baton/core';
import { approve } from '@baton/flow';
import { runChild, testCtx } from '@baton/testkit';

type Input = { taskId: string; memberId: string; now: string };

runChild(async (database, input: Input) => {
  const ctx = testCtx(database.db, {
    clock: createFakeClock(input.now),
    actor: { kind: 'member', memberId: input.memberId },
  });
  try {
    const result = await approve(ctx, { taskId: input.taskId });
    return { ok: true, state: result.state };
  } catch (error) {
    if (isBatonError(error)) return { ok: false, code: error.code };
    throw error;
  }
});
