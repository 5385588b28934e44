import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';

/** Members the initiator picked for this node at submit (`submit({ chosen: { node: [ids] } })`). */
export const chosenByInitiatorSource = defineAssigneeSource({
  source: 'chosenByInitiator',
  chosenBy: 'initiator',
  configSchema: z.strictObject({ source: z.literal('chosenByInitiator') }),
  resolve: async (rt, _spec, nodeKey) => [...(rt.chosen[nodeKey] ?? [])],
});
