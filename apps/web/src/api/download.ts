import { getLocale } from '../i18n/index.ts';
import { ApiError, CSRF_COOKIE, parseProblem, readCookie } from './client.ts';
import { rowCounterFor } from './export-progress.ts';

/** How far a download is: bytes received, and for exports the data rows received of the total. */
export type DownloadProgress = {
  bytes: number;
  /** Data rows received so far (undefined when the format cannot be counted in this browser). */
  rows?: number;
  /** Data rows the file holds, from X-Total-Count (undefined when the server did not say). */
  total?: number;
};

export type DownloadOptions = {
  /** The name to save under when the server sends no Content-Disposition. */
  fallbackName: string;
  /** A POST body (record exports carry their filters); sent as JSON with the CSRF echo. */
  body?: unknown;
  /** Aborting stops the request and the download (the promise rejects with an AbortError). */
  signal?: AbortSignal;
  /** Called as bytes arrive, for a progress bar on large exports. */
  onProgress?: (progress: DownloadProgress) => void;
};

/** The rejection of a download its signal stopped. */
export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Downloads a file the server streams (record, report and drill exports) and hands it to the browser's
 * download manager. fetch, not a link: a refusal (quota, too many rows) must come back as a coded problem,
 * not as a saved error page; and the rows can be counted as they arrive against the total the server sends.
 */
export async function downloadFile(url: string, options: DownloadOptions): Promise<void> {
  const csrf = options.body === undefined ? undefined : readCookie(CSRF_COOKIE);
  const response = await fetch(url, {
    method: options.body === undefined ? 'GET' : 'POST',
    credentials: 'same-origin',
    ...(options.signal ? { signal: options.signal } : {}),
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
  const contentType = response.headers.get('content-type') ?? '';
  const stated = Number(response.headers.get('x-total-count') ?? Number.NaN);
  const total = Number.isInteger(stated) && stated >= 0 ? stated : undefined;
  const counter = options.onProgress ? rowCounterFor(contentType) : undefined;
  const report = (bytes: number) => {
    const rows = counter?.rows();
    options.onProgress?.({
      bytes,
      ...(rows === undefined ? {} : { rows: total === undefined ? rows : Math.min(rows, total) }),
      ...(total === undefined ? {} : { total }),
    });
  };
  let received = 0;
  report(0);
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      counter?.push(value);
      report(received);
    }
  }
  if (counter) {
    await counter.end();
    report(received);
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
