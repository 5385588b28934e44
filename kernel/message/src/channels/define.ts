import type { Locale } from '@baton/core';
import type { DbCtx } from '@baton/db';

export type Bilingual = { zh: string; en: string };

/** What one channel delivers to one recipient. */
export type Delivery = {
  /** Idempotency key of the send (dedupeKey or the outbox key); stable across redeliveries. */
  sendKey: string;
  recipient: { id: string; name: string; email: string | null; locale: Locale };
  kind: string;
  title: Bilingual;
  body?: Bilingual;
  link?: string;
};

/**
 * A message channel (in-app, e-mail, DingTalk, WeCom, Feishu …), one folder each under channels/.
 * `effect: 'database'` channels write inside the transaction that records the delivery, so a
 * redelivered outbox row never duplicates them. `effect: 'external'` channels call another system
 * first and record the delivery after: a crash in between repeats the call, so they must hand the
 * sendKey downstream (a Message-ID, an IM idempotency field) for the receiver to drop the repeat.
 */
export type MessageChannelDefinition = {
  name: string;
  label: Bilingual;
  effect: 'database' | 'external';
  /** Whether a member who chose nothing for a kind gets it on this channel. */
  defaultEnabled: boolean;
  deliver(ctx: DbCtx, delivery: Delivery): Promise<void>;
};

const NAME = /^[a-z][a-zA-Z0-9]*$/;

export function defineChannel(definition: MessageChannelDefinition): MessageChannelDefinition {
  if (!NAME.test(definition.name)) throw new TypeError(`defineChannel: name "${definition.name}" must be camelCase`);
  return Object.freeze({ ...definition });
}

/** The text of a bilingual string in a locale (zh-CN first, en-US complete). */
export function pick(text: Bilingual, locale: Locale): string {
  return locale === 'en-US' ? text.en : text.zh;
}
