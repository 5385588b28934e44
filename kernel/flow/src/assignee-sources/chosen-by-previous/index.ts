import { z } from 'zod';
import { defineAssigneeSource } from '../define.ts';

/** Members the previous assignee picked when approving (`approve({ chosen: { node: [ids] } })`). */
export const chosenByPreviousSource = defineAssigneeSource({
  source: 'chosenByPrevious',
  chosenBy: 'previous',
  configSchema: z.strictObject({ source: z.literal('chosenByPrevious') }),
  resolve: async (rt, _spec, nodeKey) => [...(rt.chosen[nodeKey] ?? [])],
});
