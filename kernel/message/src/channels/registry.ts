import type { MessageChannelDefinition } from './define.ts';
import { type EmailChannelOptions, emailChannel } from './email/index.ts';
import { inAppChannel } from './in-app/index.ts';

/** Every channel Baton knows, in the order preference screens show them. */
export const channelNames = ['inApp', 'email'] as const;
export type ChannelName = (typeof channelNames)[number];

export type ChannelOptions = {
  /** Absent: the e-mail channel is disabled (no SMTP configured). */
  email?: EmailChannelOptions;
};

/** The channels this process can deliver, built from its configuration. */
export function messageChannels(options: ChannelOptions = {}): MessageChannelDefinition[] {
  const channels: MessageChannelDefinition[] = [inAppChannel];
  if (options.email) channels.push(emailChannel(options.email));
  return channels;
}
