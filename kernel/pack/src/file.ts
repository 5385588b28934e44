import type { ErrorParams } from '@baton/core';
import { PackErrors } from './errors.ts';
import { type PackIssueCode, PackIssues } from './issues.ts';
import type { PackIssue } from './types.ts';

// The pack file: one JSON document (`format: 'baton.pack/1'`) that crosses installations. It arrives from
// outside (an upload, a file handed over by mail), so it is read defensively before anything else looks at it:
// bounded in bytes, depth, values and string length, UTF-8, JSON only, and data only — no key that could reach
// an object's prototype, no NUL (PostgreSQL text refuses it), nothing but JSON values when handed as an object.
// What the definitions mean is then checked by validatePack, each issue with its path.

export const PACK_FORMAT = 'baton.pack/1';

export const PackFileLimits = {
  /** Bytes of one file. The CRM pack with its demo data is about 130 KB; 10,000 demo records fit. */
  bytes: 8 * 1024 * 1024,
  /** Nesting of objects and arrays. A form's layout or a subtable row of demo data sits about 10 deep. */
  depth: 40,
  /** Values of every kind (objects, arrays, strings, numbers …) in the whole document. */
  values: 1_000_000,
  /** Characters of one string (a rich-text default or a long locale text is far below). */
  stringLength: 200_000,
  /** Characters of one object key. */
  keyLength: 200,
} as const;

/** Keys that name an object's prototype machinery: data never needs them, and merging them is an attack. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FORMAT_PATTERN = /^baton\.pack\/\d+$/;

type Path = (string | number)[];

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Every reason the value is not pure, bounded JSON data, each with its path; walks iteratively, so a hostile
 * nesting cannot exhaust the stack. Stops collecting after 50 issues (a file that bad needs no more detail).
 */
function structuralIssues(root: unknown): PackIssue[] {
  const issues: PackIssue[] = [];
  const add = (path: Path, code: PackIssueCode, params?: ErrorParams) => {
    if (issues.length < 50) issues.push(PackIssues.issue(path, code, params));
  };
  const stack: { value: unknown; path: Path }[] = [{ value: root, path: [] }];
  let values = 0;
  while (stack.length > 0 && issues.length < 50) {
    const { value, path } = stack.pop() as { value: unknown; path: Path };
    values++;
    if (values > PackFileLimits.values) {
      add([], 'too_many_values', { max: PackFileLimits.values });
      break;
    }
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) add(path, 'not_finite');
      continue;
    }
    if (typeof value === 'string') {
      if (value.length > PackFileLimits.stringLength) {
        add(path, 'too_long', { max: PackFileLimits.stringLength });
      } else if (value.includes('\u0000')) add(path, 'nul_character');
      continue;
    }
    if (typeof value === 'function') {
      add(path, 'code');
      continue;
    }
    if (typeof value !== 'object') {
      // undefined is what a missing optional property holds in an object handed over from code.
      if (value !== undefined) add(path, 'not_json', { type: typeof value });
      continue;
    }
    if (path.length >= PackFileLimits.depth) {
      add(path, 'too_deep', { max: PackFileLimits.depth });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    if (!isPlainObject(value)) {
      add(path, 'not_json', { type: Object.prototype.toString.call(value).slice(8, -1) });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (FORBIDDEN_KEYS.has(key)) add([...path, key], 'forbidden_key', { key });
      else if (key.length > PackFileLimits.keyLength) {
        add([...path, key.slice(0, 40)], 'key_too_long', { max: PackFileLimits.keyLength });
      } else stack.push({ value: value[key], path: [...path, key] });
    }
  }
  return issues;
}

/**
 * Checks that a value is a pack document as a file carries it: pure bounded data, an object, with the format
 * this build reads. Throws PACK_FILE_INVALID (with the paths) or PACK_FORMAT_UNSUPPORTED. Returns the value.
 */
export function checkPackDocument(value: unknown): Record<string, unknown> {
  const issues = structuralIssues(value);
  if (issues.length > 0) {
    throw PackErrors.fileInvalid.create({ reason: issues[0]?.message ?? 'not data' }, { fields: issues });
  }
  if (!isPlainObject(value)) throw PackErrors.fileInvalid.create({ reason: 'not a JSON object' });
  const format = value.format;
  if (typeof format !== 'string' || !FORMAT_PATTERN.test(format)) {
    throw PackErrors.fileInvalid.create(
      { reason: `no "format": "${PACK_FORMAT}"; not a Baton pack file` },
      {
        fields: [
          PackIssues.issue(['format'], 'missing', {
            what: `"format": "${PACK_FORMAT}"`,
            whatZh: `"format": "${PACK_FORMAT}"`,
          }),
        ],
      },
    );
  }
  if (format !== PACK_FORMAT) throw PackErrors.formatUnsupported.create({ format, expected: PACK_FORMAT });
  return value;
}

/**
 * Reads a pack file (the bytes of an upload or of a file on disk, or its text): at most PackFileLimits.bytes,
 * UTF-8 (a leading BOM is dropped), one JSON object, then checkPackDocument. Nothing here executes or imports
 * anything: a JavaScript module handed in is not JSON and is refused like any other text.
 */
export function readPackFile(input: Uint8Array | string): Record<string, unknown> {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > PackFileLimits.bytes) {
    throw PackErrors.fileTooLarge.create({ what: `${size} bytes, at most ${PackFileLimits.bytes}` });
  }
  if (size === 0) throw PackErrors.fileInvalid.create({ reason: 'the file is empty' });
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw PackErrors.fileInvalid.create({ reason: 'not UTF-8 text' });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message.slice(0, 120) : 'syntax error';
    throw PackErrors.fileInvalid.create({ reason: `not JSON (${detail})` });
  }
  return checkPackDocument(parsed);
}

/**
 * The text of a pack file: indented JSON with a final newline. Refuses (PACK_FILE_TOO_LARGE) a document that
 * another installation would refuse to read, so no one ships a file that cannot be imported.
 */
export function packFileText(document: unknown): string {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > PackFileLimits.bytes) {
    throw PackErrors.fileTooLarge.create({ what: `${size} bytes, at most ${PackFileLimits.bytes}` });
  }
  return text;
}
