import { describe, expect, it } from 'vitest';
import type { Delivery } from '../define.ts';
import { renderMail } from './templates.ts';

// Titles, bodies and names are administrator- or member-defined strings (flow names, form titles,
// opinions): the HTML part must show them as text, and nothing may reach a mail header as a new line.

const hostile = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<a href="javascript:alert(1)">点我</a>',
];

function delivery(overrides: Partial<Delivery>): Delivery {
  return {
    sendKey: 'k1',
    recipient: { id: 'm1', name: '张三', email: 'zhangsan@example.com', locale: 'zh-CN' },
    kind: 'flow.task',
    title: { zh: '请假审批', en: 'Leave approval' },
    ...overrides,
  };
}

describe('renderMail', () => {
  it.each(hostile)('renders %s in title, body and name as text in the HTML part', (payload) => {
    const mail = renderMail(
      delivery({
        title: { zh: payload, en: payload },
        body: { zh: `意见：${payload}`, en: `Opinion: ${payload}` },
        recipient: { id: 'm1', name: payload, email: 'a@example.com', locale: 'zh-CN' },
      }),
      { publicUrl: 'https://oa.example.com' },
    );
    expect(mail.html).not.toMatch(/<script|<img|<svg|<a href="javascript/i);
    expect(mail.html).not.toMatch(/<[^>]*\son(error|load|mouseover)=/i);
    expect(mail.html).toContain('&#60;');
    // The plain-text part keeps the characters as they are: it is never interpreted.
    expect(mail.text).toContain(payload);
  });

  it('drops links that are not http(s) and escapes quotes in the ones it keeps', () => {
    const scriptLink = renderMail(delivery({ link: 'javascript:alert(1)' }), {});
    expect(scriptLink.html).not.toContain('href=');
    const quoted = renderMail(delivery({ link: '/work/instances/1"onmouseover="alert(1)' }), {
      publicUrl: 'https://oa.example.com/',
    });
    expect(quoted.html).toContain('href="https://oa.example.com/work/instances/1&#34;onmouseover=&#34;alert(1)"');
  });

  it('keeps a title with line breaks on one subject line', () => {
    const mail = renderMail(
      delivery({ title: { zh: '报销\r\nBcc: victim@example.com', en: 'x\nBcc: v@example.com' } }),
      {},
    );
    expect(mail.subject).toBe('【接力】报销 Bcc: victim@example.com');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
