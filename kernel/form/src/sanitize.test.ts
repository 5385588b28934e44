import { describe, expect, it } from 'vitest';
import { sanitizeRichText } from './sanitize.ts';

const clean = (html: string) => sanitizeRichText(html);

describe('sanitizeRichText', () => {
  it('keeps the allow-list', () => {
    const html =
      '<h2>标题</h2><p>a <b>b</b> <i>i</i> <u>u</u> <s>s</s> <strong>x</strong> <em>y</em><br /></p>' +
      '<ul><li>1</li></ul><ol><li>2</li></ol><blockquote>q</blockquote><pre><code>c</code></pre>' +
      '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>1</td><td rowspan="1">2</td></tr></tbody></table>';
    expect(clean(html)).toBe(html.replace('<br />', '<br />'));
  });

  it('keeps http(s) and mailto links with rel=noopener and drops every other href', () => {
    expect(clean('<a href="https://example.com/x" target="_blank">x</a>')).toBe(
      '<a href="https://example.com/x" rel="noopener noreferrer">x</a>',
    );
    expect(clean('<a href="mailto:a@b.cn">m</a>')).toBe('<a href="mailto:a@b.cn" rel="noopener noreferrer">m</a>');
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'jav&#x61;script:alert(1)',
      'jav&#97;script:alert(1)',
      'java\tscript:alert(1)',
      '&#106;avascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      '//evil.example/x',
      '/relative',
      'ftp://example.com',
    ]) {
      const out = clean(`<a href="${href}">x</a>`);
      expect(out, href).toBe('<a>x</a>');
    }
  });

  it('drops scripts, event handlers, styles, svg and foreign images', () => {
    const attacks: [string, string][] = [
      ['<script>alert(1)</script>ok', 'ok'],
      ['<SCRIPT SRC=//evil.js></SCRIPT>ok', 'ok'],
      ['<img src=x onerror=alert(1)>', ''],
      ['<img src="/api/attachments/abc" onerror="alert(1)">', '<img src="/api/attachments/abc" />'],
      ['<img src="https://evil.example/a.png">', ''],
      ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', ''],
      ['<img src="/api/attachments/../../etc/passwd">', ''],
      ['<img src="javascript:alert(1)">', ''],
      ['<svg onload=alert(1)><script>alert(1)</script></svg>ok', 'ok'],
      ['<svg><a xlink:href="javascript:alert(1)">x</a></svg>', ''],
      ['<style>body{background:url(javascript:alert(1))}</style>ok', 'ok'],
      ['<p style="background:url(javascript:alert(1))" onclick="x()">p</p>', '<p>p</p>'],
      ['<iframe src="https://evil.example"></iframe>ok', 'ok'],
      ['<object data="x.swf"></object><embed src="x.swf">ok', 'ok'],
      ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>ok', 'ok'],
      ['<form action="https://evil.example"><input name="x"></form>ok', 'ok'],
      ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">ok', 'ok'],
      ['<base href="https://evil.example/">ok', 'ok'],
      ['<div onmouseover="alert(1)">d</div>', 'd'],
      ['&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'],
      ['<<script>script>alert(1)<</script>/script>', '&lt;&lt;/script&gt;'],
      ['<!--<script>alert(1)</script>-->ok', 'ok'],
      ['<p>a</p><![CDATA[<script>alert(1)</script>]]>', '<p>a</p>'],
    ];
    for (const [input, output] of attacks) {
      const out = clean(input);
      expect(out, input).not.toMatch(/<script|onerror|onload|onclick|javascript:|<svg|<style|<iframe/i);
      if (!input.startsWith('<<script')) expect(out, input).toBe(output);
    }
  });

  it('is idempotent', () => {
    const once = clean('<p>a<img src=x onerror=1><a href="https://a.cn">l</a></p><script>1</script>');
    expect(clean(once)).toBe(once);
  });
});
