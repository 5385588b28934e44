// The rule editor's calls (apps/server/src/routes/rules.ts), all rule.design: the list, the registry of action
// kinds, a check that stores nothing, versions, publishing (a version with enabled false switches a rule off).
import { api } from '../../api/client.ts';
import type { Label } from '../../form-runtime/types.ts';
import type { Issue, RuleRegistry } from './rule-model.ts';

export type RuleSummary = {
  pack: string;
  key: string;
  version: number;
  name: Label;
  enabled: boolean;
  on: unknown;
  actions: string[];
  publishedAt: string;
  publishedBy: string;
};

export type RuleVersion = {
  version: number;
  hash: string;
  enabled: boolean;
  definition: Record<string, unknown>;
  publishedAt: string;
  publishedBy: string;
};

export type RuleCheck = { issues: Issue[]; forms: Record<string, number>; flows: Record<string, number> };

const base = (pack: string, key: string) => `/api/rules/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

export const ruleDesignApi = {
  list: () => api<{ rules: RuleSummary[] }>('/api/rules').then((body) => body.rules),
  get: (pack: string, key: string) => api<{ version: number; definition: Record<string, unknown> }>(base(pack, key)),
  registry: () => api<RuleRegistry>('/api/rules/registry'),
  validate: (definition: Record<string, unknown>, signal?: AbortSignal) =>
    api<RuleCheck>('/api/rules/validate', { method: 'POST', body: definition, ...(signal ? { signal } : {}) }),
  versions: (pack: string, key: string) =>
    api<{ versions: RuleVersion[] }>(`${base(pack, key)}/versions`).then((body) => body.versions),
  publish: (definition: Record<string, unknown>) =>
    api<{ version: number; unchanged: boolean; definition: Record<string, unknown> }>('/api/rules', {
      method: 'POST',
      body: definition,
    }),
};
