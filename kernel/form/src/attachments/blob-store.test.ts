import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, localBlobStore } from './blob-store.ts';

const root = mkdtempSync(path.join(tmpdir(), 'baton-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('localBlobStore', () => {
  const store = localBlobStore({ root });

  it('stores by sha256 in sharded folders and deduplicates', async () => {
    const key = createHash('sha256').update('hello blob').digest('hex');
    expect(await store.put(Readable.from([Buffer.from('hello '), Buffer.from('blob')]))).toEqual({
      key,
      size: 10,
      created: true,
    });
    expect(await store.put(Readable.from([Buffer.from('hello blob')]))).toEqual({ key, size: 10, created: false });
    expect(filesUnder(root)).toEqual([path.join(key.slice(0, 2), key.slice(2, 4), key)]);
    expect(await store.has(key)).toBe(true);
    expect(await text(await store.get(key))).toBe('hello blob');
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('leaves nothing behind when the stream fails half-way', async () => {
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('client went away');
    }
    await expect(store.put(Readable.from(failing()))).rejects.toThrow('client went away');
    expect(filesUnder(root)).toEqual([]);
  });

  it('refuses keys that are not hashes', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toThrow(TypeError);
    await expect(store.has('AB'.repeat(32))).rejects.toThrow(TypeError);
  });
});
