import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { type FlowNodeDefinition, type FlowSummary, flowsApi, type WorkBox } from '../../api/flows.ts';
import {
  type AccessLevel,
  type FieldAccessMap,
  type FormDefinition,
  type FormIssue,
  type Label,
  pickLabel,
} from '../../form-runtime/types.ts';
import { type Locale, type MessageKey, type Translate, useLocale } from '../../i18n/index.ts';
import './work.css';

/** Where each work list lives: the five menu entries keep their short paths, 知会 has its own. */
export const boxPaths: Record<WorkBox, string> = {
  pending: '/pending',
  done: '/done',
  sent: '/sent',
  drafts: '/drafts',
  notify: '/notify',
  tracked: '/tracked',
};

export const boxLabel = (box: WorkBox): MessageKey => `work.box.${box}` as const;

export function formatTime(at: string | null | undefined, locale: Locale): string {
  if (!at) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(at));
}

const stateColors: Record<string, string> = {
  draft: 'default',
  running: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'warning',
  terminated: 'default',
};
const knownStates = new Set(Object.keys(stateColors));

export function InstanceStateTag({ state, t }: { state: string; t: Translate }) {
  const text = knownStates.has(state) ? t(`work.state.${state}` as MessageKey) : state;
  return (
    <Tag color={stateColors[state] ?? 'default'} data-state={state}>
      {text}
    </Tag>
  );
}

const knownActions = new Set([
  'saveDraft',
  'submit',
  'approve',
  'reject',
  'return',
  'withdraw',
  'terminate',
  'transfer',
  'addSigner',
  'removeSigner',
  'urge',
  'comment',
  'jump',
  'handover',
]);

export function actionLabel(action: string, t: Translate): string {
  return knownActions.has(action) ? t(`work.action.${action}` as MessageKey) : action;
}

// The catalogue of startable flows names flows in lists; loaded once per page load.
let flowList: Promise<FlowSummary[]> | undefined;
export function flowsOnce(): Promise<FlowSummary[]> {
  flowList ??= flowsApi.list().catch((error: unknown) => {
    flowList = undefined;
    throw error;
  });
  return flowList;
}

/** `pack.key` → the flow's name; flows the member may not file keep their code. */
export function useFlowNames(): (flow: string) => string {
  const locale = useLocale();
  const [names, setNames] = useState<Map<string, Label>>(new Map());
  useEffect(() => {
    let alive = true;
    flowsOnce().then(
      (flows) => alive && setNames(new Map(flows.map((flow) => [`${flow.pack}.${flow.key}`, flow.name]))),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return (flow) => {
    const label = names.get(flow);
    return label ? pickLabel(label, locale) : flow;
  };
}

/** The server's field errors as form issues, under the field they name (a leading `values` is the body's). */
export function serverIssues(error: unknown): FormIssue[] {
  if (!isApiError(error)) return [];
  return error.fields.map((field) => {
    const path = [...field.path];
    if (path[0] === 'values' && path.length > 1) path.shift();
    return { path, code: `server:${field.code ?? ''}`, message: { zh: field.message, en: field.message } };
  });
}

/** Someone else acted first: the task is no longer pending, or the instance moved on meanwhile. */
export function isConflict(error: unknown): boolean {
  return isApiError(error) && (error.status === 409 || error.code === 'DB_VERSION_CONFLICT');
}

/**
 * The access map of a node over the whole form: its `fieldAccess` where it says something, `fallback` elsewhere
 * (the start node edits by default, an approval node only reads).
 */
export function nodeAccess(
  form: FormDefinition,
  node: FlowNodeDefinition | undefined,
  fallback: AccessLevel,
): FieldAccessMap {
  const given = node?.fieldAccess ?? {};
  const map: Record<string, AccessLevel> = { ...given };
  for (const field of form.fields) map[field.key] = given[field.key] ?? fallback;
  for (const sub of form.subtables ?? []) map[sub.key] = given[sub.key] ?? fallback;
  return map;
}

export function canEditSomething(access: FieldAccessMap): boolean {
  return Object.values(access).some((level) => level === 'edit' || level === 'required');
}
