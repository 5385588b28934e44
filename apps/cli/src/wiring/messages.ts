import type { DbCtx } from '@baton/db';
import { type FlowEvent, type FlowEventType, onFlowEvent } from '@baton/flow';
import {
  createMessageBus,
  type MessageBus,
  type MessageOutboxHandler,
  messageChannels,
  messageOutboxHandlers,
  sendMessage,
} from '@baton/message';

/** The settings this wiring reads (a subset of Config; SMTP unset = no e-mail channel). */
export type MessagesWiringConfig = {
  redisUrl?: string;
  publicUrl?: string;
  smtpUrl?: string;
  mailFrom?: string;
};

type Audience = 'assignee' | 'initiator';
type Notice = { kind: string; audience: Audience; prefix: { zh: string; en: string }; once: boolean };

// Which flow events become notices, to whom, and under which kind (the kinds members choose channels
// for). `once: false` events may repeat for the same task or instance, so their dedupe key has the time.
const notices: Partial<Record<FlowEventType, Notice>> = {
  taskCreated: { kind: 'flow.task', audience: 'assignee', prefix: { zh: '待办', en: 'To do' }, once: true },
  urged: { kind: 'flow.urged', audience: 'assignee', prefix: { zh: '催办', en: 'Reminder' }, once: false },
  taskReminder: { kind: 'flow.reminder', audience: 'assignee', prefix: { zh: '即将超时', en: 'Due soon' }, once: true },
  taskOverdue: { kind: 'flow.overdue', audience: 'assignee', prefix: { zh: '已超时', en: 'Overdue' }, once: true },
  approved: { kind: 'flow.approved', audience: 'initiator', prefix: { zh: '已通过', en: 'Approved' }, once: true },
  rejected: { kind: 'flow.rejected', audience: 'initiator', prefix: { zh: '已驳回', en: 'Rejected' }, once: true },
  returned: { kind: 'flow.returned', audience: 'initiator', prefix: { zh: '已退回', en: 'Returned' }, once: false },
};

async function noticeFor(ctx: DbCtx, event: FlowEvent, notice: Notice) {
  const instance = await ctx.db
    .selectFrom('baton_flow_instance')
    .select(['title', 'initiatorId'])
    .where('id', '=', event.instanceId)
    .executeTakeFirst();
  if (!instance) return null;
  let recipient: string | undefined;
  let { kind, prefix } = notice;
  let link = `/work/instances/${event.instanceId}`;
  if (notice.audience === 'initiator') recipient = instance.initiatorId;
  else if (event.taskId) {
    const task = await ctx.db
      .selectFrom('baton_flow_task')
      .select(['assigneeId', 'kind'])
      .where('id', '=', event.taskId)
      .executeTakeFirst();
    recipient = task?.assigneeId;
    // 知会: the member is only told, nothing waits on them.
    if (task?.kind === 'notify' && notice.kind === 'flow.task') {
      kind = 'flow.notify';
      prefix = { zh: '知会', en: 'For your information' };
    }
    link = `${link}?task=${event.taskId}`;
  }
  // Nobody to tell, or telling members about their own action (an initiator who approves last).
  if (!recipient || recipient === event.actorId) return null;
  const subject = event.taskId ?? event.instanceId;
  return {
    recipients: [recipient],
    kind,
    title: { zh: `${prefix.zh}：${instance.title}`, en: `${prefix.en}: ${instance.title}` },
    link,
    dedupeKey: `${kind}:${subject}${notice.once ? '' : `:${event.at}`}`,
  };
}

let wired = false;
let bus: MessageBus | undefined;

/**
 * One bus per process, shared by the server's SSE routes and the embedded worker: in-process by
 * default, Redis pub/sub when REDIS_URL is set (several servers, separate workers).
 */
export function messageBus(config: Pick<MessagesWiringConfig, 'redisUrl'>): MessageBus {
  bus ??= createMessageBus(config.redisUrl ? { redisUrl: config.redisUrl } : {});
  return bus;
}

/**
 * Turns flow events into notices, once per process. Call it at module load of the composition root: every
 * process that runs flow actions (servers, workers firing deadline timers) must queue their notices.
 */
export function wireMessageEvents(): void {
  if (wired) return;
  wired = true;
  // Runs inside the flow action's transaction: the notice is queued exactly when the action commits.
  onFlowEvent(async (ctx, event) => {
    const notice = notices[event.type];
    if (!notice) return;
    const input = await noticeFor(ctx, event, notice);
    if (input) await sendMessage(ctx, input);
  });
}

/** The worker's outbox handlers for messages: in-app always, e-mail when SMTP_URL and MAIL_FROM are set. */
export function messageDeliverers(config: MessagesWiringConfig): Record<string, MessageOutboxHandler> {
  const channels = messageChannels(
    config.smtpUrl && config.mailFrom
      ? {
          email: {
            smtpUrl: config.smtpUrl,
            from: config.mailFrom,
            ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
          },
        }
      : {},
  );
  return messageOutboxHandlers({ channels, bus: messageBus(config) });
}

/** Closes the process's bus (its Redis connections would otherwise keep a stopping process alive). */
export async function closeMessageBus(): Promise<void> {
  const current = bus;
  bus = undefined;
  await current?.close();
}
