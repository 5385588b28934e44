import { submit } from '@baton/flow';
import { z } from 'zod';
import { defineRuleAction } from '../define.ts';
import { checkSet, flowRefSchema, mappingSchema, typedExprSchema } from '../shared.ts';

/**
 * Files (submits) another flow with mapped fields, in the same transaction: an IT fault report starting an
 * equipment purchase. The started request lives on by itself: compensation does not withdraw it.
 */
export const startFlowAction = defineRuleAction({
  kind: 'startFlow',
  configSchema: z.strictObject({
    flow: flowRefSchema,
    /** Who files it (a member); default the initiator of the event's request. */
    initiator: typedExprSchema('member').default('$initiator.memberId'),
    /** Field of the started flow's form → expression. */
    set: mappingSchema.default({}),
    title: typedExprSchema('text').optional(),
  }),
  output: { values: { instanceId: 'text', recordId: 'text' } },
  refs: (config) => ({ flows: [config.flow] }),
  check(config, context) {
    const flow = context.flow(['flow'], config.flow);
    context.expr(['initiator'], config.initiator, { expect: 'member' });
    checkSet(context, flow?.form, config.set, ['set'], false);
    if (config.title !== undefined) context.expr(['title'], config.title, { expect: 'text' });
  },
  async run(rt, config) {
    const initiator = rt.eval(['initiator']);
    if (typeof initiator !== 'string' || initiator === '') throw rt.required(['initiator']);
    const values: Record<string, unknown> = {};
    for (const key of Object.keys(config.set)) values[key] = rt.eval(['set', key]);
    const title = config.title === undefined ? null : rt.eval(['title']);
    const started = await submit(rt.memberCtx(initiator), {
      flow: config.flow,
      values,
      ...(typeof title === 'string' && title !== '' ? { title: title.slice(0, 200) } : {}),
    });
    rt.effect({ kind: 'startFlow', flow: config.flow, instanceId: started.instanceId, initiator });
    rt.output({ instanceId: started.instanceId, recordId: started.recordId });
  },
});
