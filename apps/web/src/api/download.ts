import { getLocale } from '../i18n/index.ts';
import { ApiError, CSRF_COOKIE, parseProblem, readCookie } from './client.ts';

export type DownloadOptions = {
  /** The name to save under when the server sends no Content-Disposition. */
  fallbackName: string;
  /** A POST body (record exports carry their filters); sent as JSON with the CSRF echo. */
  body?: unknown;
  /** Bytes received so far, for a progress message on large exports. */
  onProgress?: (bytes: number) => void;
};

/**
 * Downloads a file the server streams (record, report and drill exports) and hands it to the browser's
 * download manager. fetch, not a link: a refusal (quota, too many rows) must come back as a coded problem,
 * not as a saved error page.
 */
export async function downloadFile(url: string, options: DownloadOptions): Promise<void> {
  const csrf = options.body === undefined ? undefined : readCookie(CSRF_COOKIE);
  const response = await fetch(url, {
    method: options.body === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    headers: {
      accept: '*/*',
      'accept-language': getLocale(),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const problem = parseProblem(parsed, response.status);
    throw new ApiError({
      kind: problem ? 'problem' : 'http',
      status: response.status,
      code: problem?.code ?? `HTTP_${response.status}`,
      title: problem?.title ?? response.statusText,
      ...(problem?.detail ? { detail: problem.detail } : {}),
      ...(problem ? { problem } : {}),
    });
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      options.onProgress?.(received);
    }
  }
  const blob = new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : options.fallbackName;
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked after the click has handed the blob to the download manager.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
