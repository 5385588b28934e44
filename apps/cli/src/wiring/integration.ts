import { newId } from '@baton/core';
import { type FlowEventType, onFlowEvent } from '@baton/flow';
import {
  CONNECTOR_TOPIC,
  deliverConnectorCall,
  deliverWebhook,
  enqueueWebhookEvent,
  WEBHOOK_TOPIC,
} from '@baton/integration';
import type { OutboxHandler } from '@baton/worker';

// Flow events other systems may subscribe to as webhooks (`flow.approved` …). Queued in the action's own
// transaction, so a rolled-back approval sends nothing; delivered by the worker after commit.
const published: ReadonlySet<FlowEventType> = new Set([
  'submitted',
  'approved',
  'rejected',
  'returned',
  'withdrawn',
  'terminated',
  'taskOverdue',
]);

let wired = false;

/** Subscribes webhooks to flow events (once per process) and returns the outbox deliverers to register. */
export function wireIntegration(): Record<string, OutboxHandler> {
  if (!wired) {
    wired = true;
    onFlowEvent(async (ctx, event) => {
      if (!published.has(event.type)) return;
      await enqueueWebhookEvent(ctx, {
        id: newId(),
        type: `flow.${event.type}`,
        at: event.at,
        data: {
          instanceId: event.instanceId,
          flow: event.flow,
          ...(event.nodeKey ? { nodeKey: event.nodeKey } : {}),
          ...(event.actorId ? { actorId: event.actorId } : {}),
          ...(event.outcome ? { outcome: event.outcome } : {}),
        },
      });
    });
  }
  return {
    [WEBHOOK_TOPIC]: (message, ctx) => deliverWebhook(message, ctx),
    [CONNECTOR_TOPIC]: (message, ctx) => deliverConnectorCall(message, ctx),
  };
}
