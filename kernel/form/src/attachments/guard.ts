import { Transform, type TransformCallback } from 'node:stream';
import { AttachmentErrors } from './errors.ts';
import { containsMarkup, judgeContent, knownTypes, SNIFF_BYTES } from './sniff.ts';

export type GuardInput = { name: string; ext: string; maxBytes: number; imagesOnly: boolean };

// Markup split across two chunks must still be seen: each text chunk is scanned with this tail of the last.
const OVERLAP = 32;

/**
 * Sits between an upload and the blob store: holds back the first SNIFF_BYTES, judges them
 * (extension vs content, markup), then passes bytes through while counting them. Any refusal errors
 * the stream, so the store's `put` aborts mid-stream and keeps nothing. `contentType` is known once
 * the stream has ended without error.
 */
export class UploadGuard extends Transform {
  contentType: string | undefined;
  size = 0;
  private readonly input: GuardInput;
  private head: Buffer[] = [];
  private headLength = 0;
  private judged = false;
  private tail = '';
  private readonly text: boolean;

  constructor(input: GuardInput) {
    super();
    this.input = input;
    this.text = knownTypes[input.ext]?.sniffs === 'text';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.input.maxBytes) {
      callback(
        AttachmentErrors.tooLarge.create({
          name: this.input.name,
          limitMb: Math.round((this.input.maxBytes / 1048576) * 100) / 100,
        }),
      );
      return;
    }
    if (this.judged) {
      callback(this.scan(chunk), chunk);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) {
      callback();
      return;
    }
    this.release(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size === 0) {
      callback(AttachmentErrors.empty.create({ name: this.input.name }));
      return;
    }
    if (this.judged) {
      callback();
      return;
    }
    this.release(callback);
  }

  private release(callback: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.judged = true;
    judgeContent(head, this.input.ext, this.input.imagesOnly).then(
      (verdict) => {
        if (!verdict.ok) {
          const create = verdict.reason === 'type' ? AttachmentErrors.typeRefused : AttachmentErrors.contentMismatch;
          callback(create.create({ name: this.input.name, accept: this.input.ext }));
          return;
        }
        this.contentType = verdict.contentType;
        this.tail = this.text ? head.subarray(-OVERLAP).toString('latin1') : '';
        callback(null, head);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  /** Text uploads are scanned to the end: markup after the sniffed head is refused too. */
  private scan(chunk: Buffer): Error | null {
    if (!this.text) return null;
    if (chunk.includes(0)) return AttachmentErrors.contentMismatch.create({ name: this.input.name });
    const text = this.tail + chunk.toString('latin1');
    this.tail = text.slice(-OVERLAP);
    return containsMarkup(text) ? AttachmentErrors.contentMismatch.create({ name: this.input.name }) : null;
  }
}
