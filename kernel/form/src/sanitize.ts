import sanitizeHtml from 'sanitize-html';

// Rich text is stored only after this allow-list has run: whatever a client sends, what comes back out can
// be rendered as HTML. Anything not listed is dropped (tags unwrapped, their text kept; script-like content
// dropped with its text).

/** An image may only show an attachment served by Baton itself: `/api/attachments/<id>` (optionally `/…`). */
const ATTACHMENT_SRC = /^\/api\/attachments\/[A-Za-z0-9_-]{1,64}(?:\/[A-Za-z0-9_-]{1,32})?$/;
/** Links: absolute http(s) and mailto only (no relative, protocol-relative, javascript:, data:, …). */
const LINK_HREF = /^(?:https?:\/\/[^\s/]|mailto:[^\s])/i;

const tableTags = ['table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col'];

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'i',
    'u',
    's',
    'strong',
    'em',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'code',
    'pre',
    'img',
    ...tableTags,
  ],
  allowedAttributes: {
    a: ['href', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    col: ['span'],
    colgroup: ['span'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowedStyles: {},
  parseStyleAttributes: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'svg',
    'math',
    'iframe',
    'object',
    'template',
    'title',
  ],
  enforceHtmlBoundary: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = (attribs.href ?? '').trim();
      const kept: Record<string, string> = LINK_HREF.test(href) ? { href, rel: 'noopener noreferrer' } : {};
      return { tagName, attribs: kept };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !ATTACHMENT_SRC.test(frame.attribs.src ?? ''),
};

/** The HTML with everything outside the rich-text allow-list removed. Idempotent. */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, options);
}
