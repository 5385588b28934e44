import type { Locale } from '@baton/core';
import { type Delivery, pick } from '../define.ts';

export type RenderedMail = { subject: string; text: string; html: string };

const strings = {
  'zh-CN': {
    brand: '接力',
    greeting: (name: string) => `${name}，您好：`,
    open: '查看详情',
    footer: '此邮件由接力自动发送，请勿直接回复。可在「消息设置」中选择哪些通知发送到邮箱。',
  },
  'en-US': {
    brand: 'Baton',
    greeting: (name: string) => `Hello ${name},`,
    open: 'Open',
    footer:
      'Sent automatically by Baton; please do not reply. Choose which notices reach your mailbox in Message settings.',
  },
} satisfies Record<Locale, unknown>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Subject, plain text and HTML of one notice in the recipient's language. */
export function renderMail(delivery: Delivery, options: { publicUrl?: string }): RenderedMail {
  const locale = delivery.recipient.locale;
  const s = strings[locale];
  const title = pick(delivery.title, locale);
  const body = delivery.body ? pick(delivery.body, locale) : '';
  // Links are app paths; a mail client needs the absolute address members open.
  const link =
    delivery.link && options.publicUrl && delivery.link.startsWith('/')
      ? `${options.publicUrl.replace(/\/+$/, '')}${delivery.link}`
      : delivery.link;
  // Titles come from administrator-defined flow and form names: a line break must never reach a header.
  const oneLine = title.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const subject = locale === 'en-US' ? `[${s.brand}] ${oneLine}` : `【${s.brand}】${oneLine}`;
  const lines = [s.greeting(delivery.recipient.name), '', title];
  if (body) lines.push('', body);
  if (link) lines.push('', `${s.open}: ${link}`);
  lines.push('', '--', s.footer);
  const htmlParts = [`<p>${escapeHtml(s.greeting(delivery.recipient.name))}</p>`, `<h3>${escapeHtml(title)}</h3>`];
  if (body) htmlParts.push(`<p>${escapeHtml(body).replace(/\n/g, '<br>')}</p>`);
  if (link && /^https?:\/\//i.test(link))
    htmlParts.push(`<p><a href="${escapeHtml(link)}">${escapeHtml(s.open)}</a></p>`);
  htmlParts.push(`<hr><p style="color:#888">${escapeHtml(s.footer)}</p>`);
  return { subject, text: lines.join('\n'), html: htmlParts.join('\n') };
}
