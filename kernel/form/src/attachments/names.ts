/** The longest display name kept, in characters (the extension is kept whole). */
export const MAX_FILE_NAME_LENGTH = 120;

// C0/C1 controls and the bidi overrides/isolates that make `invoice<U+202E>fdp.exe` read as `invoiceexe.pdf`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Characters Windows refuses in names; replaced so a downloaded file saves under the name shown.
const RESERVED = /[<>:"|?*]/g;

/**
 * The display name of an upload: NFC, the last path segment only (browsers on Windows may send
 * `C:\Users\…\a.pdf`), without control or bidi characters, `..`, leading dots or trailing dots and
 * spaces, at most MAX_FILE_NAME_LENGTH characters. The name never becomes a path: blobs are stored by hash.
 */
export function normalizeFileName(raw: string): string {
  let name = String(raw ?? '').normalize('NFC');
  name = name.replace(INVISIBLE, '');
  const segments = name.split(/[/\\]/);
  name = segments[segments.length - 1] ?? '';
  name = name.replace(RESERVED, '_').replace(/\s+/g, ' ');
  name = name.replace(/\.{2,}/g, '.');
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keep = ext.length < 20 ? ext : [];
    name = (chars.slice(0, MAX_FILE_NAME_LENGTH - keep.length).join('') + keep.join('')).replace(/[\s.]+$/, '');
  }
  return name || 'file';
}

/** The extension that decides a file's type: the LAST one, lower-case (`invoice.pdf.exe` → `exe`); '' when none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

/** `Content-Disposition` for a download: always `attachment`, the name as RFC 8187 UTF-8. */
export function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}
