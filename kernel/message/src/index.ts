// @baton/message — in-app inbox, e-mail and the channel registry for IM; delivery through the outbox,
// per-member preferences, unread counts pushed over an in-process or Redis bus. The only entry point.
import './schema.ts';

export {
  createMessageBus,
  type MessageBus,
  type MessageBusOptions,
  type UnreadEvent,
  type UnreadListener,
} from './bus.ts';
export {
  type Bilingual,
  type Delivery,
  defineChannel,
  type MessageChannelDefinition,
} from './channels/define.ts';
export type { EmailChannelOptions } from './channels/email/index.ts';
export { renderMail } from './channels/email/templates.ts';
export { type ChannelName, type ChannelOptions, channelNames, messageChannels } from './channels/registry.ts';
export { type DeadLetter, listDeadLetters, retryDeadLetter } from './dead-letters.ts';
export { MessageErrors } from './errors.ts';
export {
  countUnread,
  type InboxMessage,
  type ListMessagesInput,
  listMessages,
  markAllRead,
  markRead,
} from './inbox.ts';
export { messageMigrations } from './migrations.ts';
export { ANY_KIND, getPreferences, type Preference, setPreferences } from './preferences.ts';
export type { MessageDeliveryTable, MessageItemTable, MessagePreferenceTable } from './schema.ts';
export {
  deliverSend,
  MESSAGE_SEND_TOPIC,
  type MessageHandlerOptions,
  type MessageOutboxHandler,
  messageOutboxHandlers,
  type SendMessageInput,
  sendMessage,
  sendMessageInput,
} from './send.ts';
