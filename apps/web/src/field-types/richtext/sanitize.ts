import DOMPurify from 'dompurify';

// What a form's rich text may contain: text formatting, lists, tables, links and images. No scripts, styles,
// forms, frames or event handlers, whatever the stored HTML says (the server stores it as given).
const allowedTags = [
  'p',
  'br',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'sub',
  'sup',
  'span',
  'div',
  'blockquote',
  'pre',
  'code',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'hr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
];
const allowedAttributes = ['href', 'title', 'alt', 'src', 'colspan', 'rowspan'];

/** Sanitised HTML as a DOM fragment, never as a string that could be put back into innerHTML unsanitised. */
export function sanitizedFragment(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttributes,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  // Links leave the app in a new tab without handing it a reference to this window.
  for (const link of fragment.querySelectorAll('a')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  return fragment;
}
