// Types and calls for the Organisation REST API (/api/org), as the server's org-schemas.ts defines them.
import { api } from './client.ts';

export type DepartmentNode = {
  id: string;
  unitId: string;
  parentId: string | null;
  name: string;
  code: string;
  sort: number;
  enabled: boolean;
  headMemberId: string | null;
  headName: string | null;
  mergedIntoId: string | null;
  version: number;
  children: DepartmentNode[];
};

type PersonRef = { id: string; code: string; name: string };

export type Department = Omit<DepartmentNode, 'children' | 'headName'> & {
  createdAt: string;
  updatedAt: string;
};

export type DepartmentDetail = Department & {
  head: PersonRef | null;
  divisionLeaders: PersonRef[];
  memberCount: number;
};

export type Member = {
  id: string;
  version: number;
  code: string;
  name: string;
  login: string;
  email: string | null;
  phone: string | null;
  mainDepartmentId: string;
  postId: string | null;
  levelId: string | null;
  status: 'active' | 'left';
  locale: string | null;
};

export type MemberDetail = Member & {
  placements: Array<{ departmentId: string; departmentName: string; concurrent: boolean }>;
  roles: Array<{ roleId: string; code: string; name: string; nameEn: string | null }>;
};

export type MemberPage = { items: Member[]; nextCursor: string | null };
export type Unit = { id: string; code: string; name: string; kind: string; enabled: boolean; sort: number };
export type Post = { id: string; code: string; name: string; enabled: boolean };
export type Level = { id: string; code: string; name: string; rank: number };

export const orgApi = {
  units: () => api<{ items: Unit[] }>('/api/org/units').then((body) => body.items),
  tree: () => api<{ items: DepartmentNode[] }>('/api/org/departments/tree').then((body) => body.items),
  department: (id: string) => api<DepartmentDetail>(`/api/org/departments/${id}`),
  members: (query: { departmentId?: string; search?: string; cursor?: string; limit?: number }) =>
    api<MemberPage>('/api/org/members', { query }),
  member: (id: string) => api<MemberDetail>(`/api/org/members/${id}`),
  posts: () => api<{ items: Post[] }>('/api/org/posts').then((body) => body.items),
  levels: () => api<{ items: Level[] }>('/api/org/levels').then((body) => body.items),
  createDepartment: (body: { unitId: string; parentId: string | null; name: string; code: string }) =>
    api<Department>('/api/org/departments', { method: 'POST', body }),
  renameDepartment: (id: string, body: { version: number; name: string }) =>
    api<Department>(`/api/org/departments/${id}`, { method: 'PATCH', body }),
  moveDepartment: (id: string, body: { parentId: string | null; version?: number }) =>
    api<Department>(`/api/org/departments/${id}/move`, { method: 'POST', body }),
  disableDepartment: (id: string, body: { version: number }) =>
    api<unknown>(`/api/org/departments/${id}/disable`, { method: 'POST', body }),
  createMember: (body: {
    code: string;
    name: string;
    login: string;
    email?: string | null;
    phone?: string | null;
    mainDepartmentId: string;
    postId?: string | null;
    levelId?: string | null;
  }) => api<Member>('/api/org/members', { method: 'POST', body }),
};
