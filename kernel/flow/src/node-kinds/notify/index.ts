import { z } from 'zod';
import type { AssigneeSpec } from '../../assignee-sources/define.ts';
import { defineNodeKind } from '../define.ts';
import { assigneesSchema, checkAssignees, checkFieldAccess, fieldAccessSchema } from '../shared.ts';

/** 知会: readable by its members, nothing to do (read state kept); the flow moves on at once. */
export const notifyNode = defineNodeKind({
  kind: 'notify',
  configSchema: z.strictObject({ assignees: assigneesSchema, fieldAccess: fieldAccessSchema }),
  outgoing: 'one',
  hasTasks: true,
  check: (config, _node, context) => {
    if (config.assignees.length === 0) {
      context.add([...context.path, 'assignees'], 'no_assignee_source', { kind: 'notify', kindZh: '知会' });
    }
    checkAssignees(config.assignees as AssigneeSpec[], context);
    checkFieldAccess(config.fieldAccess, context);
  },
  enter: async (rt, run, config) => {
    const ids = await rt.resolveAssignees(config.assignees as AssigneeSpec[], run.nodeKey);
    await rt.setAssignees(run, ids);
    for (const assigneeId of ids) {
      await rt.createTask(run, { assigneeId, kind: 'notify', state: 'done', outcome: 'notified' });
    }
    return { kind: 'complete', outcome: 'notified' };
  },
});
