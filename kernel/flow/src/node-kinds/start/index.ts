import { z } from 'zod';
import { defineNodeKind } from '../define.ts';
import { checkFieldAccess, fieldAccessSchema } from '../shared.ts';

/** Where the initiator fills the form in; passed through on submit. `fieldAccess` defaults to edit. */
export const startNode = defineNodeKind({
  kind: 'start',
  configSchema: z.strictObject({ fieldAccess: fieldAccessSchema }),
  outgoing: 'one',
  check: (config, _node, context) => checkFieldAccess(config.fieldAccess, context),
  enter: async () => ({ kind: 'complete', outcome: 'submitted' }),
});
