// Calls of the form REST API (/api/forms, /api/attachments) as the server's form routes define them.
import { api, CSRF_COOKIE, readCookie } from '../api/client.ts';
import { type DownloadProgress, downloadFile } from '../api/download.ts';
import { getLocale } from '../i18n/index.ts';
import type { FormDefinition, FormRecord, Label, Values } from './types.ts';

export type FormSummary = { pack: string; key: string; version: number; kind: 'flow' | 'archive'; name: Label };
export type PublishedForm = {
  definition: FormDefinition;
  version: number;
  publishedAt: string;
  /** The caller's access to each main field and subtable under the form's field permissions. */
  fieldAccess?: Record<string, 'hidden' | 'read' | 'edit'>;
};
export type RecordFilter = { field: string; op: string; value?: unknown };
export type RecordSort = { field: string; dir: 'asc' | 'desc' };
export type RecordPage = { records: FormRecord[]; nextCursor: string | null };
export type ReferenceOption = { id: string; display: string; fill?: Values };
export type AttachmentMeta = { id: string; name?: string; size?: number; contentType?: string };

const base = (pack: string, key: string) => `/api/forms/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

export const formsApi = {
  list: () => api<{ forms: FormSummary[] }>('/api/forms').then((body) => body.forms),
  get: (pack: string, key: string) => api<PublishedForm>(base(pack, key)),
  create: (pack: string, key: string, values: Values) =>
    api<FormRecord>(`${base(pack, key)}/records`, { method: 'POST', body: { values } }),
  record: (pack: string, key: string, id: string) =>
    api<FormRecord>(`${base(pack, key)}/records/${encodeURIComponent(id)}`),
  update: (pack: string, key: string, id: string, version: number, values: Values) =>
    api<FormRecord>(`${base(pack, key)}/records/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { version, values },
    }),
  query: (
    pack: string,
    key: string,
    body: { filters: RecordFilter[]; sorts: RecordSort[]; cursor?: string; limit?: number },
  ) => api<RecordPage>(`${base(pack, key)}/records/query`, { method: 'POST', body }),
  // The server answers `{ options }` (forms routes, referenceView).
  references: async (pack: string, key: string, field: string, q: string, signal?: AbortSignal) =>
    (
      await api<{ options: ReferenceOption[] }>(`${base(pack, key)}/references/${encodeURIComponent(field)}`, {
        query: { q },
        signal,
      })
    ).options,
};

export const attachmentUrl = (id: string) => `/api/attachments/${encodeURIComponent(id)}`;

/** An upload field of a form, or (`instance`) a comment (评论) on a request. */
export type UploadTarget = { pack: string; key: string; field: string } | { instance: string };

/**
 * Uploads files as multipart with progress. XMLHttpRequest rather than fetch: fetch still reports no upload
 * progress. The CSRF echo and the language header match what the API client sends.
 */
export function uploadAttachment(
  target: UploadTarget,
  file: Blob,
  fileName: string,
  onProgress: (percent: number) => void,
): { promise: Promise<AttachmentMeta>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<AttachmentMeta>((resolve, reject) => {
    const body = new FormData();
    if ('instance' in target) body.append('instance', target.instance);
    else {
      body.append('pack', target.pack);
      body.append('key', target.key);
      body.append('field', target.field);
    }
    body.append('files', file, fileName);
    xhr.open('POST', '/api/attachments');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', getLocale());
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        // The server may answer with one item, a list or `{ items }`; each carries an id.
        const list = Array.isArray(parsed)
          ? parsed
          : parsed && typeof parsed === 'object' && Array.isArray((parsed as { items?: unknown }).items)
            ? (parsed as { items: unknown[] }).items
            : [parsed];
        const first = list[0] as AttachmentMeta | undefined;
        if (first && typeof first.id === 'string') resolve({ name: fileName, ...first });
        else reject(new Error('upload answered without an id'));
        return;
      }
      const detail =
        parsed && typeof parsed === 'object' && typeof (parsed as { detail?: unknown }).detail === 'string'
          ? (parsed as { detail: string }).detail
          : `HTTP ${xhr.status}`;
      reject(new Error(detail));
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

export type ViewSpec = { filters: RecordFilter[]; sort: RecordSort[]; columns: string[] };
export type SavedView = { id: string; name: string; spec: ViewSpec; createdAt: string; updatedAt: string };
const viewsBase = (pack: string, key: string) =>
  `/api/form-views/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

/** A member's saved views (常用查询) of a record list. */
export const viewsApi = {
  list: (pack: string, key: string) => api<{ items: SavedView[] }>(viewsBase(pack, key)).then((body) => body.items),
  save: (pack: string, key: string, name: string, spec: ViewSpec) =>
    api<SavedView>(viewsBase(pack, key), { method: 'PUT', body: { name, spec } }),
  remove: (pack: string, key: string, id: string) =>
    api<null>(`${viewsBase(pack, key)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};

/** Downloads the records of a list (the same filters and sort) as .xlsx or .csv. */
export function downloadRecords(
  pack: string,
  key: string,
  format: 'xlsx' | 'csv',
  body: { filters: RecordFilter[]; sort: RecordSort[] },
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void } = {},
): Promise<void> {
  return downloadFile(`${base(pack, key)}/records/export?format=${format}`, {
    fallbackName: `${pack}-${key}.${format}`,
    body,
    ...options,
  });
}
