import {
  asMember,
  buildDemoOrg,
  createResolver,
  type DemoReport,
  installPack,
  type MemberView,
  packPlatformMigrations,
} from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { crm } from '../pack.ts';

export type Scenario = {
  database: TestDatabase;
  ctx: ReturnType<typeof testCtx>;
  demo: DemoReport;
  /** The CRM through the eyes of the member a demo selector names (`staff:北京销售一组:0`, `head:销售管理部` …). */
  as(selector: string): Promise<MemberView>;
  memberId(selector: string): Promise<string>;
};

/** A fresh database with the demo organisation and the CRM pack installed with its demo data. */
export async function openScenario(): Promise<Scenario> {
  const database = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  const ctx = testCtx(database.db);
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
