import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What the caller knows about a blob; a store may keep it (S3 object metadata) or ignore it (local disk). */
export type BlobMeta = { contentType?: string };

/** `key` is the sha256 of the content (hex); `created` is false when the store already held that content. */
export type PutResult = { key: string; size: number; created: boolean };

/**
 * Content-addressed storage of uploaded bytes. Streams in and out, keys only: no file-system path
 * leaves a store, so an S3-compatible store (multipart upload to a temporary key, then copy to the
 * hash) fits the same interface. A failed or aborted `put` leaves nothing behind.
 */
export interface BlobStore {
  put(stream: Readable | AsyncIterable<Uint8Array>, meta?: BlobMeta): Promise<PutResult>;
  /** The content; BlobNotFoundError when the store has no such key. */
  get(key: string): Promise<Readable>;
  has(key: string): Promise<boolean>;
  /** Removes the content; no error when it is already gone. */
  delete(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob ${key.slice(0, 12)}… not found`);
    this.name = 'BlobNotFoundError';
  }
}

const KEY = /^[0-9a-f]{64}$/;

function checkKey(key: string): string {
  // Keys come back from the database, but a store must never turn text into a path it did not make.
  if (typeof key !== 'string' || !KEY.test(key)) throw new TypeError('blob key must be 64 lower-case hex digits');
  return key;
}

export type LocalBlobStoreOptions = {
  /** An absolute directory outside every folder the server serves (default `<dataDir>/blobs`). */
  root: string;
};

/**
 * Blobs on local disk under `root/ab/cd/<sha256>`. Bytes go to `root/tmp/<random>` first and are
 * renamed into place once complete and synced, so a reader never sees half a file and a crash leaves
 * only a temp file behind.
 */
export function localBlobStore({ root }: LocalBlobStoreOptions): BlobStore {
  if (!path.isAbsolute(root)) throw new TypeError('localBlobStore: root must be an absolute path');
  const tmp = path.join(root, 'tmp');
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key.slice(2, 4), key);

  async function exists(file: string): Promise<boolean> {
    try {
      return (await stat(file)).isFile();
    } catch {
      return false;
    }
  }

  return {
    async put(stream) {
      await mkdir(tmp, { recursive: true, mode: 0o700 });
      const temp = path.join(tmp, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      const sink = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
      try {
        const source = stream instanceof Readable ? stream : Readable.from(stream);
        await pipeline(source, tap, sink);
        const handle = await open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        const key = hash.digest('hex');
        const file = fileOf(key);
        if (await exists(file)) {
          await rm(temp, { force: true });
          return { key, size, created: false };
        }
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        await rename(temp, file);
        return { key, size, created: true };
      } catch (error) {
        // pipeline rejects as soon as the source fails, possibly before the sink has opened its file: removing it
        // then would run first and leave the file behind once it opens, so wait for the sink to close.
        if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(key) {
      const file = fileOf(checkKey(key));
      if (!(await exists(file))) throw new BlobNotFoundError(key);
      return createReadStream(file);
    },
    async has(key) {
      return exists(fileOf(checkKey(key)));
    },
    async delete(key) {
      await rm(fileOf(checkKey(key)), { force: true });
    },
  };
}
