import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UploadGuard } from './guard.ts';
import { judgeContent } from './sniff.ts';

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

describe('judgeContent', () => {
  it('accepts content that agrees with its extension', async () => {
    expect(await judgeContent(PNG, 'png')).toEqual({ ok: true, contentType: 'image/png' });
    expect(await judgeContent(PNG, 'png', true)).toEqual({ ok: true, contentType: 'image/png' });
    expect(await judgeContent(PDF, 'pdf')).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(await judgeContent(Buffer.from('名称,金额\n广告,100\n'), 'csv')).toEqual({
      ok: true,
      contentType: 'text/csv',
    });
  });

  it('refuses HTML or SVG named as an image or a text', async () => {
    expect(await judgeContent(HTML, 'png')).toMatchObject({ ok: false, reason: 'markup' });
    expect(await judgeContent(SVG, 'png')).toMatchObject({ ok: false, reason: 'markup' });
    expect(await judgeContent(SVG, 'txt')).toMatchObject({ ok: false, reason: 'markup' });
    expect(await judgeContent(HTML, 'csv')).toMatchObject({ ok: false, reason: 'markup' });
  });

  it('refuses mismatches, binaries posing as text and non-images in image fields', async () => {
    expect(await judgeContent(PDF, 'png')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await judgeContent(EXE, 'pdf')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await judgeContent(PNG, 'txt')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await judgeContent(Buffer.from([0x41, 0, 0x42]), 'txt')).toMatchObject({ ok: false, reason: 'binary' });
    expect(await judgeContent(PDF, 'pdf', true)).toMatchObject({ ok: false, reason: 'type' });
    expect(await judgeContent(SVG, 'svg')).toMatchObject({ ok: false, reason: 'type' });
    expect(await judgeContent(HTML, 'html')).toMatchObject({ ok: false, reason: 'type' });
  });
});

async function drain(input: Buffer[], guard: UploadGuard): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(input).pipe(guard)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('UploadGuard', () => {
  it('passes accepted bytes through unchanged and names the content type', async () => {
    const guard = new UploadGuard({ name: 'a.png', ext: 'png', maxBytes: 1024, imagesOnly: true });
    expect(await drain([PNG.subarray(0, 10), PNG.subarray(10)], guard)).toEqual(PNG);
    expect(guard.contentType).toBe('image/png');
  });

  it('errors past the byte limit', async () => {
    const guard = new UploadGuard({ name: 'a.txt', ext: 'txt', maxBytes: 100, imagesOnly: false });
    await expect(drain([Buffer.alloc(60, 0x61), Buffer.alloc(60, 0x61)], guard)).rejects.toMatchObject({
      code: 'FORM_ATTACHMENT_TOO_LARGE',
    });
  });

  it('finds markup deep in a text upload, even split across chunks', async () => {
    const guard = new UploadGuard({ name: 'a.txt', ext: 'txt', maxBytes: 1 << 20, imagesOnly: false });
    const filler = Buffer.alloc(70 * 1024, 0x61);
    await expect(drain([filler, Buffer.from('xx<scr'), Buffer.from('ipt>alert(1)')], guard)).rejects.toMatchObject({
      code: 'FORM_ATTACHMENT_CONTENT_MISMATCH',
    });
  });

  it('refuses an empty upload', async () => {
    const guard = new UploadGuard({ name: 'a.txt', ext: 'txt', maxBytes: 100, imagesOnly: false });
    await expect(drain([], guard)).rejects.toMatchObject({ code: 'FORM_ATTACHMENT_EMPTY' });
  });
});
