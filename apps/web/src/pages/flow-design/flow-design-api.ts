// The flow designer's calls (apps/server/src/routes/flows.ts): validate, registries, versions and publish need
// flow.design; the definition itself is the ordinary GET /api/flows/:pack/:key.
import { api } from '../../api/client.ts';
import type { Issue } from './tree-model.ts';

export type FlowVersion = {
  version: number;
  hash: string;
  formVersion: number;
  publishedAt: string;
  publishedBy: string;
  definition: Record<string, unknown>;
};
export type FlowRegistries = {
  nodeKinds: string[];
  assigneeSources: { source: string; chosenBy: 'initiator' | 'previous' | null }[];
};

const base = (pack: string, key: string) => `/api/flows/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

export const flowDesignApi = {
  validate: (definition: Record<string, unknown>) =>
    api<{ issues: Issue[]; formVersion: number | null }>('/api/flows/validate', { method: 'POST', body: definition }),
  registries: () => api<FlowRegistries>('/api/flows/registries'),
  versions: (pack: string, key: string) =>
    api<{ versions: FlowVersion[] }>(`${base(pack, key)}/versions`).then((body) => body.versions),
  publish: (definition: Record<string, unknown>) =>
    api<{ pack: string; key: string; version: number; hash: string; unchanged: boolean }>('/api/flows', {
      method: 'POST',
      body: definition,
    }),
};
