import {
  asMember,
  buildDemoOrg,
  createResolver,
  type DemoReport,
  installPack,
  type MemberView,
  packPlatformMigrations,
  wireRules,
} from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { crm } from '../pack.ts';

/** A system context on a fake clock (its `clock.set` / `clock.advance` move time). */
const scenarioCtx = (db: TestDatabase['db']) => testCtx(db);

export type Scenario = {
  database: TestDatabase;
  ctx: ReturnType<typeof scenarioCtx>;
  demo: DemoReport;
  /** The CRM through the eyes of the member a demo selector names (`staff:北京销售一组:0`, `head:销售管理部` …). */
  as(selector: string): Promise<MemberView>;
  memberId(selector: string): Promise<string>;
};

/**
 * A fresh database with the demo organisation and the CRM pack installed with its demo data, rules running on
 * flow and record events as in the platform. `database.cleanup()` also unwires the rules.
 */
export async function openScenario(): Promise<Scenario> {
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
  ctx.clock.set('2026-11-30T02:00:00.000Z');
  await buildDemoOrg(ctx);
  const report = await installPack(ctx, crm, { demo: true });
  if (!report.demo) throw new Error('the CRM demo data did not load');
  const resolver = createResolver(ctx, 'crm');
  return {
    database,
    ctx,
    demo: report.demo,
    memberId: (selector) => resolver.member(selector),
    as: async (selector) => asMember(ctx, 'crm', await resolver.member(selector)),
  };
}
