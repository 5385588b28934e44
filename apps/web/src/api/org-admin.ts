// Types and calls for the organisation administration pages (posts, levels, roles and their holders,
// the member editor, import and export), as the server's org-schemas.ts defines them.
import { getLocale } from '../i18n/index.ts';
import { ApiError, api, CSRF_COOKIE, parseProblem, readCookie } from './client.ts';

type Audited = { id: string; version: number; createdAt: string; updatedAt: string };

export type PostRow = Audited & { unitId: string | null; code: string; name: string; sort: number; enabled: boolean };
export type LevelRow = Audited & { code: string; name: string; rank: number };

export type RoleKind = 'system' | 'business';
export type RoleScope = 'global' | 'unit' | 'department';

export type Role = Audited & {
  code: string;
  name: string;
  nameEn: string | null;
  kind: RoleKind;
  scope: RoleScope;
  scopeId: string | null;
  description: string | null;
  enabled: boolean;
};

export type RoleHolder = {
  assignmentId: string;
  memberId: string;
  code: string;
  name: string;
  status: 'active' | 'left';
  scopeUnitId: string | null;
  scopeDepartmentId: string | null;
};

export type MemberRecord = Audited & {
  code: string;
  name: string;
  login: string;
  email: string | null;
  phone: string | null;
  mainDepartmentId: string;
  postId: string | null;
  levelId: string | null;
  supervisorId: string | null;
  status: 'active' | 'left';
  leftAt: string | null;
  locale: string | null;
  sort: number;
};

export type Placement = {
  departmentId: string;
  departmentName: string;
  unitId: string;
  postId: string | null;
  levelId: string | null;
  concurrent: boolean;
};

export type HeldRole = {
  assignmentId: string;
  roleId: string;
  code: string;
  name: string;
  nameEn: string | null;
  scopeUnitId: string | null;
  scopeDepartmentId: string | null;
};

export type MemberRecordDetail = MemberRecord & { placements: Placement[]; roles: HeldRole[] };

export type LeaveResult = {
  member: MemberRecord;
  successorId: string | null;
  headships: string[];
  divisionLeaderships: string[];
  roleAssignments: string[];
  supervised: string[];
  removedConcurrentPosts: string[];
  handovers: Record<string, { held: number; moved?: number; detail?: string }>;
  batchId: string;
};

export type ImportError = {
  sheet: string;
  row: number;
  column: string;
  code: string;
  message: { zh: string; en: string };
};

export type ImportResult = {
  ok: boolean;
  dryRun?: boolean;
  applied: { created: number; updated: number };
  errors: ImportError[];
};

export type ExportFormat = 'xlsx' | 'csv';
/** A CSV file holds one sheet; a workbook holds both. */
export type ExportSheet = 'departments' | 'members';

const items = <T>(body: { items: T[] }) => body.items;

export const orgAdminApi = {
  posts: (query: { includeDisabled?: boolean } = {}) =>
    api<{ items: PostRow[] }>('/api/org/posts', {
      query: { includeDisabled: query.includeDisabled ? 'true' : undefined },
    }).then(items),
  createPost: (body: { code: string; name: string; unitId?: string | null; sort?: number }) =>
    api<PostRow>('/api/org/posts', { method: 'POST', body }),
  updatePost: (id: string, body: { version: number; code?: string; name?: string; sort?: number; enabled?: boolean }) =>
    api<PostRow>(`/api/org/posts/${id}`, { method: 'PATCH', body }),

  levels: () => api<{ items: LevelRow[] }>('/api/org/levels').then(items),
  createLevel: (body: { code: string; name: string; rank: number }) =>
    api<LevelRow>('/api/org/levels', { method: 'POST', body }),
  updateLevel: (id: string, body: { version: number; code?: string; name?: string; rank?: number }) =>
    api<LevelRow>(`/api/org/levels/${id}`, { method: 'PATCH', body }),

  roles: (query: { kind?: RoleKind } = {}) => api<{ items: Role[] }>('/api/org/roles', { query }).then(items),
  createRole: (body: {
    code: string;
    name: string;
    nameEn?: string | null;
    kind?: RoleKind;
    scope?: RoleScope;
    scopeId?: string | null;
    description?: string | null;
  }) => api<Role>('/api/org/roles', { method: 'POST', body }),
  updateRole: (
    id: string,
    body: {
      version: number;
      name?: string;
      nameEn?: string | null;
      scope?: RoleScope;
      scopeId?: string | null;
      description?: string | null;
      enabled?: boolean;
    },
  ) => api<Role>(`/api/org/roles/${id}`, { method: 'PATCH', body }),
  roleHolders: (roleId: string) => api<{ items: RoleHolder[] }>(`/api/org/roles/${roleId}/members`).then(items),
  assignRole: (
    roleId: string,
    body: { memberId: string; scopeUnitId?: string | null; scopeDepartmentId?: string | null },
  ) => api<unknown>(`/api/org/roles/${roleId}/assignments`, { method: 'POST', body }),
  unassignRole: (roleId: string, assignmentId: string) =>
    api<undefined>(`/api/org/roles/${roleId}/assignments/${assignmentId}`, { method: 'DELETE' }),

  member: (id: string) => api<MemberRecordDetail>(`/api/org/members/${id}`),
  searchMembers: (search: string, limit = 20) =>
    api<{ items: MemberRecord[]; nextCursor: string | null }>('/api/org/members', {
      query: { search: search || undefined, limit },
    }).then(items),
  updateMember: (
    id: string,
    body: {
      version: number;
      name?: string;
      email?: string | null;
      phone?: string | null;
      supervisorId?: string | null;
    },
  ) => api<MemberRecord>(`/api/org/members/${id}`, { method: 'PATCH', body }),
  moveMember: (
    id: string,
    body: { version?: number; departmentId?: string; postId?: string | null; levelId?: string | null },
  ) => api<MemberRecord>(`/api/org/members/${id}/move`, { method: 'POST', body }),
  memberLeaves: (id: string, body: { version?: number; successorId?: string | null }) =>
    api<LeaveResult>(`/api/org/members/${id}/leave`, { method: 'POST', body }),
  addConcurrentPost: (id: string, body: { departmentId: string; postId?: string | null; levelId?: string | null }) =>
    api<unknown>(`/api/org/members/${id}/concurrent-posts`, { method: 'POST', body }),
  removeConcurrentPost: (id: string, departmentId: string) =>
    api<undefined>(`/api/org/members/${id}/concurrent-posts/${departmentId}`, { method: 'DELETE' }),
};

/** A fetch that failed with a status, read as problem+json when the server sent one. */
async function failure(response: Response): Promise<ApiError> {
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown;
  if (contentType.includes('json')) body = await response.json().catch(() => undefined);
  const problem = contentType.includes('problem+json') ? parseProblem(body, response.status) : undefined;
  if (problem) {
    return new ApiError({
      kind: 'problem',
      status: problem.status,
      code: problem.code,
      title: problem.title,
      detail: problem.detail,
      fields: problem.fields,
      problem,
    });
  }
  return new ApiError({
    kind: 'http',
    status: response.status,
    code: `HTTP_${response.status}`,
    title: `HTTP ${response.status}`,
  });
}

async function send(input: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(input, { credentials: 'same-origin', ...init });
  } catch (cause) {
    throw new ApiError({ kind: 'network', status: 0, code: 'NETWORK', title: 'Network error', cause });
  }
}

/**
 * POST /api/org/import: a multipart upload (field `file`; a workbook, or one CSV per sheet), so it bypasses
 * the JSON client but sends the same CSRF echo. A dry run reports every bad row and changes nothing.
 */
export async function importOrg(files: ReadonlyArray<File>, dryRun: boolean): Promise<ImportResult> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  headers['Accept-Language'] = getLocale();
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const response = await send(`/api/org/import?dryRun=${dryRun ? 'true' : 'false'}`, {
    method: 'POST',
    headers,
    body: form,
  });
  // A refused import may still carry the row report, with ok false.
  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok && !(response.status === 422 && contentType.includes('application/json'))) {
    throw await failure(response);
  }
  return (await response.json()) as ImportResult;
}

/** GET /api/org/export: the organisation as a file, saved through a temporary link. */
export async function exportOrg(format: ExportFormat, options: { sheet?: ExportSheet; includeLeft?: boolean } = {}) {
  const params = new URLSearchParams({ format });
  if (options.sheet) params.set('sheet', options.sheet);
  if (options.includeLeft) params.set('includeLeft', 'true');
  const response = await send(`/api/org/export?${params}`, {
    headers: { 'Accept-Language': getLocale() },
  });
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const fileName = named ? decodeURIComponent(named[1] ?? named[2] ?? '') : `baton-org.${format}`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName || `baton-org.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
