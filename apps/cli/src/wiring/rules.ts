import { onFlowEvent } from '@baton/flow';
import { onRecordEvent } from '@baton/form';
import { applyRules, ruleTimerHandlers } from '@baton/rule';
import { registerTimerHandler } from '@baton/schedule';

let wired = false;

/**
 * Runs rules on flow and record events, once per process. Listeners run inside the action's transaction, so a
 * rule's write-backs, adjustments and outbox rows commit with the action, and a guard's refusal (or any failing
 * action) rolls the whole action back. Every process that runs actions (servers, workers firing timers) wires it.
 * notify and callConnector write `message.send` and `connector.call` outbox rows, which the message and
 * integration deliverers registered in platform.ts deliver after commit. Timed rules (cron schedules over a form's
 * records, date-field reminders) run from the timer topics registered here, fired by the worker's timerJob.
 */
export function wireRules(): void {
  if (wired) return;
  wired = true;
  onFlowEvent(async (ctx, event) => {
    await applyRules(ctx, { flow: event });
  });
  onRecordEvent(async (ctx, event) => {
    await applyRules(ctx, { record: event });
  });
  for (const [topic, handler] of Object.entries(ruleTimerHandlers)) registerTimerHandler(topic, handler);
}
