import { describe, expect, it } from 'vitest';
import { contentDisposition, extensionOf, MAX_FILE_NAME_LENGTH, normalizeFileName } from './names.ts';

describe('normalizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['C:\\Users\\qiu\\合同.pdf', '合同.pdf'],
    ['a\u0000b.txt', 'ab.txt'],
    ['evil\u202Efdp.exe', 'evilfdp.exe'],
    ['.htaccess', 'htaccess'],
    ['...', 'file'],
    ['', 'file'],
    ['report.pdf. . ', 'report.pdf'],
    ['a..b..pdf', 'a.b.pdf'],
    ['what?<x>|"y".txt', 'what__x___y_.txt'],
    ['%2e%2e%2fpasswd.txt', '%2e%2e%2fpasswd.txt'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
  ])('%j → %j', (raw, expected) => {
    const name = normalizeFileName(raw);
    expect(name).toBe(expected);
    expect(name).not.toMatch(/[/\\]|\.\./);
    expect([...name].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('composes to NFC', () => {
    expect(normalizeFileName('cafe\u0301.txt')).toBe('caf\u00e9.txt');
  });

  it('limits the length and keeps the extension', () => {
    const name = normalizeFileName(`${'长'.repeat(300)}.docx`);
    expect([...name].length).toBe(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.docx')).toBe(true);
  });
});

describe('extensionOf', () => {
  it('judges by the last extension only', () => {
    expect(extensionOf('invoice.pdf.exe')).toBe('exe');
    expect(extensionOf('photo.PNG')).toBe('png');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('x.')).toBe('');
  });
});

describe('contentDisposition', () => {
  it('is always an attachment with an RFC 8187 name', () => {
    expect(contentDisposition('合同 (1).pdf')).toBe("attachment; filename*=UTF-8''%E5%90%88%E5%90%8C%20%281%29.pdf");
    expect(contentDisposition('a\'b";x.txt')).toBe("attachment; filename*=UTF-8''a%27b%22%3Bx.txt");
  });
});
