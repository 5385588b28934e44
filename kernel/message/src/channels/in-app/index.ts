import { newId } from '@baton/core';
import { instant } from '@baton/db';
import { defineChannel } from '../define.ts';

/** The in-app inbox: one row per recipient, both languages kept so the reader's current language wins. */
export const inAppChannel = defineChannel({
  name: 'inApp',
  label: { zh: '站内消息', en: 'In-app inbox' },
  effect: 'database',
  defaultEnabled: true,
  async deliver(ctx, delivery) {
    await ctx.db
      .insertInto('baton_message_item')
      .values({
        id: newId(),
        recipientId: delivery.recipient.id,
        kind: delivery.kind,
        titleZh: delivery.title.zh,
        titleEn: delivery.title.en,
        bodyZh: delivery.body?.zh ?? null,
        bodyEn: delivery.body?.en ?? null,
        link: delivery.link ?? null,
        sendKey: delivery.sendKey,
        readAt: null,
        createdAt: instant(ctx.clock.now()),
      })
      .onConflict((oc) => oc.columns(['sendKey', 'recipientId']).doNothing())
      .execute();
  },
});
