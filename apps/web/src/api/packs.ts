// The packs API (/api/packs) for the admin page 应用包: what is installed (or assembled in the designers), a pack
// as a file, and the upload of a file for its validation report and diff, then its import.
import { getLocale } from '../i18n/index.ts';
import { ApiError, api, CSRF_COOKIE, parseProblem, readCookie } from './client.ts';
import { downloadFile } from './download.ts';

export type Label = { zh: string; en: string };
export type Counts = { forms: number; flows: number; rules: number; reports: number };

export type PackListItem = {
  key: string;
  /** null: an app assembled in the designers under this key (nothing installed). */
  name: Label | null;
  version: string | null;
  installed: boolean;
  installedAt: string | null;
  updatedAt: string | null;
  demoLoadedAt: string | null;
  counts: Counts;
};

export type DiffChange = 'added' | 'changed' | 'removed' | 'unchanged';
export type PlanStep = {
  action: 'createTable' | 'add' | 'keep' | 'hidden' | 'convert' | 'refused';
  path: string;
  table: string;
  column?: string;
  renamedFrom?: string;
  from?: string;
  to?: string;
  rows?: string[];
};
export type DefinitionDiff = {
  key: string;
  label: Label | null;
  change: DiffChange;
  installedVersion: number | null;
  reason?: 'definition' | 'form';
};
export type FormDiff = DefinitionDiff & { steps: PlanStep[]; ok: boolean };
export type RoleDiff = {
  code: string;
  name: Label;
  change: DiffChange;
  exists: boolean;
  grant: string[];
  revoke: string[];
};
export type PackDiff = {
  key: string;
  version: string;
  name: Label;
  installedVersion: string | null;
  step: 'install' | 'upgrade' | 'same' | 'downgrade';
  unchanged: boolean;
  ok: boolean;
  forms: FormDiff[];
  flows: DefinitionDiff[];
  rules: DefinitionDiff[];
  reports: DefinitionDiff[];
  menus: { key: string; label: Label; change: DiffChange }[];
  roles: RoleDiff[];
  demo: { assignments: number; records: number; filings: number; load: boolean };
  fingerprint: string;
};
export type PackIssue = { path: (string | number)[]; code: string; message: string };
export type UploadedFile = { name: string; bytes: number; sha256: string };
export type PackPreview = {
  file: UploadedFile;
  issues: PackIssue[];
  pack: {
    key: string | null;
    version: string | null;
    name: Label | null;
    hash: string | null;
    counts: Counts & { menus: number; roles: number };
  };
  diff: PackDiff | null;
};
type DefinitionResult = { key: string; version: number; unchanged: boolean };
export type PackImport = {
  file: UploadedFile;
  diff: PackDiff;
  report: {
    key: string;
    version: string;
    outcome: 'installed' | 'upgraded' | 'unchanged';
    previousVersion: string | null;
    forms: DefinitionResult[];
    flows: DefinitionResult[];
    rules: DefinitionResult[];
    reports: DefinitionResult[];
    rolesCreated: string[];
    granted: number;
    revoked: number;
    demo: { assignments: number; records: number; filings: number } | null;
  };
};

/** The server reads at most this many bytes (kernel/pack PackFileLimits.bytes); larger files are refused here. */
export const PACK_FILE_MAX_BYTES = 8 * 1024 * 1024;

export const packsApi = {
  list: () => api<{ packs: PackListItem[] }>('/api/packs').then((body) => body.packs),
};

/** Downloads a pack file; an app assembled in the designers takes its version and name here. */
export function exportPackFile(
  key: string,
  options: { demo?: boolean; version?: string; nameZh?: string; nameEn?: string } = {},
): Promise<void> {
  const query = new URLSearchParams();
  if (options.demo) query.set('demo', 'true');
  if (options.version) query.set('version', options.version);
  if (options.nameZh) query.set('nameZh', options.nameZh);
  if (options.nameEn) query.set('nameEn', options.nameEn);
  const search = query.toString();
  return downloadFile(`/api/packs/${encodeURIComponent(key)}/export${search ? `?${search}` : ''}`, {
    fallbackName: `${key}.baton-pack.json`,
  });
}

/**
 * Sends the pack file as multipart with upload progress (XMLHttpRequest: fetch reports none). A refusal comes
 * back as the ApiError the rest of the app shows (coded problem+json, its fields with their paths).
 */
function uploadPackFile<T>(
  url: string,
  file: File,
  onProgress: (percent: number) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.open('POST', url);
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
        onProgress(100);
        resolve(parsed as T);
        return;
      }
      const problem = parseProblem(parsed, xhr.status);
      reject(
        new ApiError({
          kind: problem ? 'problem' : 'http',
          status: xhr.status,
          code: problem?.code ?? `HTTP_${xhr.status}`,
          title: problem?.title ?? (xhr.statusText || `HTTP ${xhr.status}`),
          ...(problem?.detail ? { detail: problem.detail } : {}),
          ...(problem?.fields ? { fields: problem.fields } : {}),
          ...(problem ? { problem } : {}),
        }),
      );
    };
    xhr.onerror = () => reject(new ApiError({ kind: 'network', status: 0, code: 'NETWORK', title: 'network' }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

/** POST /api/packs/preview: the validation report (issues with paths) and the diff; nothing changes. */
export function previewPack(file: File, options: { demo: boolean }, onProgress: (percent: number) => void) {
  return uploadPackFile<PackPreview>(`/api/packs/preview?demo=${options.demo}`, file, onProgress);
}

/** POST /api/packs/import with the fingerprint of the diff the administrator confirmed. */
export function importPackFile(
  file: File,
  options: { demo: boolean; expect: string },
  onProgress: (percent: number) => void,
) {
  const query = new URLSearchParams({ demo: String(options.demo), expect: options.expect });
  return uploadPackFile<PackImport>(`/api/packs/import?${query}`, file, onProgress);
}
