import { onFlowEvent } from '@baton/flow';
import { onRecordEvent } from '@baton/form';
import { applyRules } from '@baton/rule';

/**
 * Runs rules on flow and record events, inside each event's transaction: what the composition root wires in the
 * platform, for pack scenario tests and tools that run packs outside it. Returns the function that unwires.
 * Wire it once per process (rule runs are idempotent per rule and event, but twice is wasted work).
 */
export function wireRules(): () => void {
  const offFlow = onFlowEvent((tx, event) => applyRules(tx, { flow: event }).then(() => undefined));
  const offRecord = onRecordEvent((tx, event) => applyRules(tx, { record: event }).then(() => undefined));
  return () => {
    offFlow();
    offRecord();
  };
}
