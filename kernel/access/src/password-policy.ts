import { randomInt } from 'node:crypto';
import { AccessErrors } from './errors.ts';

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for any passphrase, short enough that nobody can make the server hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordRule = 'tooShort' | 'tooLong' | 'sameAsLogin' | 'tooFewClasses' | 'common';

// Passwords that satisfy length and class rules yet top every leaked-password list (incl. the pinyin and
// keyboard-walk favourites of Chinese users). Compared case-insensitively. Small on purpose: the point is
// to stop the obvious ones, not to ship a breach corpus.
const COMMON = new Set(
  [
    'password123',
    'password1234',
    'password@123',
    'password!123',
    'p@ssw0rd123',
    'p@ssword123',
    'passw0rd123',
    'p@55w0rd123',
    'admin@12345',
    'admin@123456',
    'admin123456',
    'administrator1',
    'qwerty123456',
    'qwer1234!@#$',
    'qwe123!@#qwe',
    '1qaz2wsx3edc',
    '1qaz@wsx3edc',
    '1qaz!qaz2wsx',
    'zaq12wsxcde3',
    'aa123456789',
    'abc123456789',
    'a123456789',
    'abcd1234!@#$',
    'welcome123!',
    'welcome@123',
    'changeme123!',
    'letmein12345',
    'iloveyou1314',
    'woaini1314!',
    'woaini520!!',
    'baton@12345',
    'baton123456',
    'test@123456',
    'huawei@123',
    'root@123456',
    '123456789abc',
    '123456qwerty',
  ].map((p) => p.toLowerCase()),
);

function classesOf(password: string): number {
  let count = 0;
  if (/\p{Ll}/u.test(password)) count += 1;
  if (/\p{Lu}/u.test(password)) count += 1;
  if (/\p{Nd}/u.test(password)) count += 1;
  // Anything else: punctuation, spaces, CJK characters …
  if (/[^\p{Ll}\p{Lu}\p{Nd}]/u.test(password)) count += 1;
  return count;
}

/**
 * The rules `password` breaks (empty when it is acceptable). Pure, so a UI can show the same verdict
 * while the user types. Length counts code points, so one Chinese character is one character.
 */
export function checkPasswordPolicy(password: string, context: { login?: string } = {}): PasswordRule[] {
  const failed: PasswordRule[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) failed.push('tooShort');
  if (length > PASSWORD_MAX_LENGTH) failed.push('tooLong');
  if (context.login && password.trim().toLowerCase() === context.login.trim().toLowerCase()) failed.push('sameAsLogin');
  if (classesOf(password) < 3) failed.push('tooFewClasses');
  if (COMMON.has(password.toLowerCase())) failed.push('common');
  return failed;
}

const ruleText: Record<PasswordRule, { zh: string; en: string }> = {
  tooShort: { zh: `至少 ${PASSWORD_MIN_LENGTH} 个字符`, en: `at least ${PASSWORD_MIN_LENGTH} characters` },
  tooLong: { zh: `最多 ${PASSWORD_MAX_LENGTH} 个字符`, en: `at most ${PASSWORD_MAX_LENGTH} characters` },
  sameAsLogin: { zh: '不能与登录名相同', en: 'must differ from the login' },
  tooFewClasses: {
    zh: '需包含小写字母、大写字母、数字、符号中的至少三类',
    en: 'needs three of: lower-case, upper-case, digits, symbols',
  },
  common: { zh: '是常见密码', en: 'is a commonly used password' },
};

/** Throws ACCESS_WEAK_PASSWORD naming every failed rule (as field issues on `path` and in the message). */
export function assertPasswordPolicy(
  password: string,
  context: { login?: string } = {},
  path: ReadonlyArray<string | number> = ['password'],
): void {
  const failed = checkPasswordPolicy(password, context);
  if (failed.length === 0) return;
  throw AccessErrors.weakPassword.create(
    { rules: failed.join(', ') },
    { fields: failed.map((code) => ({ path, code, message: ruleText[code].en })) },
  );
}

// No 0/O, 1/l/I: generated passwords are read off a terminal and typed by hand.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@^_';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}

/**
 * A random password of `length` (default 20, ≥ 16) characters with every character class, from the
 * OS CSPRNG: about 6.1 bits per character, so 20 characters carry over 120 bits.
 */
export function generatePassword(length = 20): string {
  if (!Number.isInteger(length) || length < 16 || length > 128) {
    throw new RangeError('generatePassword: length must be an integer in 16..128');
  }
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher–Yates, so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
