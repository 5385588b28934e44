import {
  asMember,
  buildDemoOrg,
  createResolver,
  type DemoReport,
  installPack,
  isBatonError,
  type MemberView,
  packPlatformMigrations,
  wireRules,
} from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { contracts } from '../pack.ts';

/** A system context on a fake clock (its `clock.set` / `clock.advance` move time). */
const scenarioCtx = (db: TestDatabase['db']) => testCtx(db);

export type Scenario = {
  database: TestDatabase;
  ctx: ReturnType<typeof scenarioCtx>;
  demo: DemoReport;
  /** The pack through the eyes of the member a demo selector names (`staff:北京销售一组:0`, `role:legalStaff` …). */
  as(selector: string): Promise<MemberView>;
  memberId(selector: string): Promise<string>;
};

/** Monday 2026-11-30, 10:00 in Shanghai: the instant the demo data is loaded at. */
export const DEMO_INSTANT = '2026-11-30T02:00:00.000Z';

/**
 * A fresh database with the demo organisation and the contracts pack installed with its demo data, rules running
 * on flow and record events as in the platform. `database.cleanup()` also unwires the rules.
 */
export async function openScenario(options: { demo?: boolean } = {}): Promise<Scenario> {
  const unwire = wireRules();
  const created = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  const database = {
    ...created,
    cleanup: async () => {
      unwire();
      await created.cleanup();
    },
  };
  const ctx = scenarioCtx(database.db);
  ctx.clock.set(DEMO_INSTANT);
  await buildDemoOrg(ctx);
  const withDemo = options.demo ?? true;
  const report = await installPack(ctx, contracts, { demo: withDemo });
  const hasDemo = (contracts.demo.records?.length ?? 0) + (contracts.demo.filings?.length ?? 0) > 0;
  if (withDemo && hasDemo && !report.demo) throw new Error('the contracts demo data did not load');
  const resolver = createResolver(ctx, 'contracts');
  return {
    database,
    ctx,
    demo: report.demo ?? { assignments: 0, records: 0, filings: 0, refs: {}, instances: {} },
    memberId: (selector) => resolver.member(selector),
    as: async (selector) => asMember(ctx, 'contracts', await resolver.member(selector)),
  };
}

/** The code of the coded error a promise rejects with, or 'OK'. */
export async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'OK';
}
