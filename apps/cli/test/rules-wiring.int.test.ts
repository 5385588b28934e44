import { createFakeClock, isBatonError } from '@baton/core';
import { type DbCtx, outbox } from '@baton/db';
import { approve, publishFlow, submit } from '@baton/flow';
import { listRecords, publishForm } from '@baton/form';
import { listMessages, MESSAGE_SEND_TOPIC } from '@baton/message';
import { createDepartment, createMember, createUnit } from '@baton/org';
import { publishRule } from '@baton/rule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { platformConfiguredHandlers, platformMigrations } from '../src/platform.ts';

// The composition root wires rules to flow and record events: an approved request is archived by a rule in the
// approval's transaction, a guard refuses a submit, and the rule's notice is delivered by the message engine.

const l = (zh: string, en: string) => ({ zh, en });
const clock = createFakeClock('2026-11-30T01:00:00.000Z');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});

it('rules run on the platform: guard, write-back and a notice delivered through the outbox', async () => {
  const ctx = testCtx(database.db, { clock });
  const as = (memberId: string): DbCtx => testCtx(database.db, { clock, actor: { kind: 'member', memberId } });
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const dept = await createDepartment(ctx, { unitId: unit.id, name: '综合部', code: '10-00001' });
  const alice = await createMember(ctx, { code: 'E1', name: '爱丽丝', login: 'alice', mainDepartmentId: dept.id });
  const bob = await createMember(ctx, { code: 'E2', name: '鲍勃', login: 'bobby', mainDepartmentId: dept.id });
  await publishForm(ctx, {
    pack: 'rel',
    key: 'release',
    kind: 'flow',
    label: l('发版申请', 'Release request'),
    fields: [
      { key: 'tag', label: l('版本', 'Version'), type: 'text', required: true },
      { key: 'risk', label: l('风险', 'Risk'), type: 'number', scale: 0 },
    ],
  });
  await publishForm(ctx, {
    pack: 'rel',
    key: 'library',
    kind: 'archive',
    label: l('版本库', 'Version library'),
    fields: [{ key: 'tag', label: l('版本', 'Version'), type: 'text', required: true }],
  });
  const flow = { pack: 'rel', key: 'releaseFlow' };
  await publishFlow(ctx, {
    ...flow,
    name: l('发版审批', 'Release approval'),
    form: { pack: 'rel', key: 'release' },
    nodes: [
      { key: 'start', kind: 'start' },
      { key: 'qa', kind: 'approval', assignees: [{ source: 'members', ids: [bob.id] }] },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'qa' },
      { from: 'qa', to: 'end' },
    ],
  });
  await publishRule(ctx, {
    pack: 'rel',
    key: 'toLibrary',
    name: l('写入版本库', 'Into the library'),
    on: { flow: 'rel.releaseFlow', events: ['approved'] },
    actions: [
      { kind: 'writeBack', form: 'rel.library', set: { tag: 'tag' } },
      {
        kind: 'notify',
        to: '$initiator.memberId',
        title: { zh: '{v} 已入库', en: '{v} is in the library' },
        params: { v: 'tag' },
      },
    ],
  });
  await publishRule(ctx, {
    pack: 'rel',
    key: 'riskGate',
    name: l('风险门槛', 'Risk gate'),
    on: { flow: 'rel.releaseFlow', events: ['submitted'] },
    actions: [
      {
        kind: 'guard',
        refuseWhen: 'risk > 3',
        message: { zh: '风险 {r} 过高', en: 'Risk {r} is too high' },
        params: { r: 'risk' },
      },
    ],
  });

  const refused = await submit(as(alice.id), { flow, values: { tag: '2.0.0', risk: 5 } }).catch((e: unknown) => e);
  expect(isBatonError(refused) && [refused.code, refused.localized('zh-CN')]).toEqual([
    'RULE_GUARD_REFUSED',
    '风险 5 过高',
  ]);
  const { instanceId } = await submit(as(alice.id), { flow, values: { tag: '1.4.0', risk: 1 } });
  const task = await database.db
    .selectFrom('baton_flow_task')
    .select('id')
    .where('instanceId', '=', instanceId)
    .executeTakeFirstOrThrow();
  await approve(as(bob.id), { taskId: task.id });
  const { records } = await listRecords(ctx, { pack: 'rel', key: 'library' });
  expect(records.map((record) => record.values.tag)).toEqual(['1.4.0']);

  const handler = platformConfiguredHandlers({})[MESSAGE_SEND_TOPIC];
  const due = await outbox.claim(ctx, { owner: 'w', limit: 50, leaseMs: 60_000, topics: [MESSAGE_SEND_TOPIC] });
  for (const message of due) {
    await handler?.(message, ctx);
    await outbox.complete(ctx, { id: message.id, owner: 'w' });
  }
  const inbox = (await listMessages(ctx, { memberId: alice.id })).items;
  const notice = inbox.find((message) => message.kind === 'rule.rel.toLibrary');
  expect(notice).toMatchObject({
    title: { zh: '1.4.0 已入库', en: '1.4.0 is in the library' },
    link: `/work/instances/${instanceId}`,
  });
});
