import { fileTypeFromBuffer } from 'file-type';

/**
 * One allowed extension: the Content-Type it is served with, and what its content must sniff as
 * (file-type's `ext`), or `text` for formats without a signature (no binary signature, no NUL, no markup).
 */
export type KnownType = { mime: string; sniffs: readonly string[] | 'text'; image?: true };

const ZIP_FAMILY = ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'jar', 'apk', 'xpi'];
const office = (mime: string, ext: string): KnownType => ({ mime, sniffs: [ext, 'zip'] });
const cfb = (mime: string): KnownType => ({ mime, sniffs: ['cfb'] });

/** Every extension an upload may have. SVG, HTML, XML and executables are deliberately absent. */
export const knownTypes: Readonly<Record<string, KnownType>> = Object.freeze({
  pdf: { mime: 'application/pdf', sniffs: ['pdf'] },
  doc: cfb('application/msword'),
  xls: cfb('application/vnd.ms-excel'),
  ppt: cfb('application/vnd.ms-powerpoint'),
  wps: cfb('application/vnd.ms-works'),
  et: cfb('application/vnd.ms-excel'),
  docx: office('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'),
  xlsx: office('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'),
  pptx: office('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'),
  odt: office('application/vnd.oasis.opendocument.text', 'odt'),
  ods: office('application/vnd.oasis.opendocument.spreadsheet', 'ods'),
  odp: office('application/vnd.oasis.opendocument.presentation', 'odp'),
  txt: { mime: 'text/plain', sniffs: 'text' },
  csv: { mime: 'text/csv', sniffs: 'text' },
  png: { mime: 'image/png', sniffs: ['png'], image: true },
  jpg: { mime: 'image/jpeg', sniffs: ['jpg'], image: true },
  jpeg: { mime: 'image/jpeg', sniffs: ['jpg'], image: true },
  gif: { mime: 'image/gif', sniffs: ['gif'], image: true },
  webp: { mime: 'image/webp', sniffs: ['webp'], image: true },
  zip: { mime: 'application/zip', sniffs: ZIP_FAMILY },
  rar: { mime: 'application/vnd.rar', sniffs: ['rar'] },
  '7z': { mime: 'application/x-7z-compressed', sniffs: ['7z'] },
});

/** What an `accept` list defaults to: every known type. */
export const defaultAccept: readonly string[] = Object.freeze(Object.keys(knownTypes));
/** What image and signature fields accept. */
export const imageAccept: readonly string[] = Object.freeze(['png', 'jpg', 'jpeg', 'gif', 'webp']);

/** How many leading bytes are sniffed (enough for file-type and for markup near the top of a text). */
export const SNIFF_BYTES = 64 * 1024;

// Markup a browser would render or run. Checked on text uploads, in every chunk (see UploadGuard).
const MARKUP =
  /<\s*(script|svg|html|iframe|object|embed|body|img|meta|link|style|xml|foreignobject)\b|<!doctype\s+html|<\?xml|javascript:/i;

export function containsMarkup(text: string): boolean {
  return MARKUP.test(text);
}

export type Verdict =
  | { ok: true; contentType: string }
  | { ok: false; reason: 'type' | 'mismatch' | 'markup' | 'binary'; sniffed?: string };

/**
 * Judges the first bytes of an upload against its declared extension (already on the allow-list):
 * binary types must sniff as one of theirs; text types must not sniff as anything, contain NUL, or carry
 * HTML/SVG/XML/script. Images only when `imagesOnly`.
 */
export async function judgeContent(head: Uint8Array, ext: string, imagesOnly = false): Promise<Verdict> {
  const known = knownTypes[ext];
  if (!known || (imagesOnly && !known.image)) return { ok: false, reason: 'type' };
  const sniffed = await fileTypeFromBuffer(head);
  if (known.sniffs === 'text') {
    if (sniffed) return { ok: false, reason: 'mismatch', sniffed: sniffed.ext };
    if (head.includes(0)) return { ok: false, reason: 'binary' };
    if (containsMarkup(Buffer.from(head).toString('latin1'))) return { ok: false, reason: 'markup' };
    return { ok: true, contentType: known.mime };
  }
  if (!sniffed || !known.sniffs.includes(sniffed.ext)) {
    // A "png" whose bytes are HTML/SVG is the classic stored-XSS upload: name it for the log.
    const markup = !sniffed && containsMarkup(Buffer.from(head).toString('latin1'));
    return { ok: false, reason: markup ? 'markup' : 'mismatch', sniffed: sniffed?.ext ?? 'unknown' };
  }
  return { ok: true, contentType: known.mime };
}
