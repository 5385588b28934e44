// The designer's calls of the forms API (apps/server/src/routes/forms.ts): publish and its preview need
// form.design; the list, a definition and its versions are the ordinary form routes.
import { api } from '../../api/client.ts';
import type { FormDefinition } from '../../form-runtime/types.ts';

export type PlanAction = 'createTable' | 'add' | 'keep' | 'hidden' | 'convert' | 'refused';

export type PlanStep = {
  action: PlanAction;
  /** `amount`, `items.price`, or the subtable key for table steps. */
  path: string;
  table: string;
  column?: string;
  renamedFrom?: string;
  from?: string;
  to?: string;
  /** Refused: the ids of rows whose value does not convert. */
  rows?: string[];
};

export type PublishPlan = {
  pack: string;
  key: string;
  version: number;
  hash: string;
  unchanged: boolean;
  ok: boolean;
  steps: PlanStep[];
};

export type FormVersion = { version: number; hash: string; publishedAt: string; publishedBy: string };

const base = (pack: string, key: string) => `/api/forms/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

export const designApi = {
  /** Validates the draft (FORM_DEFINITION_INVALID lists every issue with its path) and plans its migration. */
  preview: (definition: FormDefinition, signal?: AbortSignal) =>
    api<PublishPlan>('/api/forms/preview', { method: 'POST', body: definition, ...(signal ? { signal } : {}) }),
  publish: (definition: FormDefinition) =>
    api<PublishPlan & { publishedAt: string }>('/api/forms', { method: 'POST', body: definition }),
  versions: (pack: string, key: string) =>
    api<{ versions: FormVersion[] }>(`${base(pack, key)}/versions`).then((body) => body.versions),
};
