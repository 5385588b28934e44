import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { defineChannel, type MessageChannelDefinition } from '../define.ts';
import { renderMail } from './templates.ts';

export type EmailChannelOptions = {
  /** `smtp://user:pass@host:587` or `smtps://…`. */
  smtpUrl: string;
  /** The From header, e.g. `接力 <noreply@example.com>`. */
  from: string;
  /** Makes app links absolute in the mail. */
  publicUrl?: string;
};

/** E-mail over SMTP. Members without an address are skipped (nothing to deliver, nothing to retry). */
export function emailChannel(options: EmailChannelOptions): MessageChannelDefinition {
  const transport = nodemailer.createTransport(options.smtpUrl);
  const domain = options.from.match(/@([^>\s]+)/)?.[1] ?? 'baton.local';
  return defineChannel({
    name: 'email',
    label: { zh: '电子邮件', en: 'E-mail' },
    effect: 'external',
    defaultEnabled: true,
    async deliver(_ctx, delivery) {
      if (!delivery.recipient.email) return;
      const mail = renderMail(delivery, options.publicUrl ? { publicUrl: options.publicUrl } : {});
      // The same send to the same member always carries the same Message-ID, so a redelivery after a
      // crash is recognisable as a repeat by the receiving side.
      const digest = createHash('sha256').update(`${delivery.sendKey}\u0000${delivery.recipient.id}`).digest('hex');
      await transport.sendMail({
        from: options.from,
        to: delivery.recipient.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${digest.slice(0, 40)}@${domain}>`,
        headers: { 'X-Baton-Idempotency-Key': delivery.sendKey },
      });
    },
  });
}
