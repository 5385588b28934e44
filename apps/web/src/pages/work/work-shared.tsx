import { Select, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { type FieldLevel, type FlowSummary, flowsApi, type WorkBox } from '../../api/flows.ts';
import { orgApi } from '../../api/org.ts';
import { rememberMember, useMemberNames } from '../../field-types/shared.tsx';
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
  fieldAccess: Readonly<Record<string, FieldLevel>> | undefined,
  fallback: AccessLevel,
): FieldAccessMap {
  const given = fieldAccess ?? {};
  const map: Record<string, AccessLevel> = { ...given };
  for (const field of form.fields) map[field.key] = given[field.key] ?? fallback;
  for (const sub of form.subtables ?? []) map[sub.key] = given[sub.key] ?? fallback;
  return map;
}

export function canEditSomething(access: FieldAccessMap): boolean {
  return Object.values(access).some((level) => level === 'edit' || level === 'required');
}

/** Flow categories the catalogue names in both languages; any other category shows as written. */
const knownCategories = new Set(['hr', 'finance', 'admin', 'sales', 'purchasing', 'it', 'legal', 'general']);
export function categoryLabel(category: string, t: Translate): string {
  return knownCategories.has(category) ? t(`work.category.${category}` as MessageKey) : category;
}

const RECENT_KEY = 'baton.work.recentOpinions';

/** The member's own last opinions, offered beside the common phrases (this browser only). */
export function recentOpinions(): string[] {
  try {
    const stored = JSON.parse(window.localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === 'string').slice(0, 5) : [];
  } catch {
    return [];
  }
}

export function rememberOpinion(text: string): void {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 60) return;
  const next = [trimmed, ...recentOpinions().filter((item) => item !== trimmed)].slice(0, 5);
  try {
    window.localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  } catch {
    // Private mode: nothing to remember.
  }
}

/** Members searched by name, login or code over /api/org/members; one or several. */
export function PeopleSelect({
  id,
  value,
  onChange,
  multiple = false,
  exclude,
  t,
  ariaLabel,
}: {
  id?: string;
  value: string[];
  onChange: (ids: string[]) => void;
  multiple?: boolean;
  exclude?: string;
  t: Translate;
  ariaLabel?: string;
}) {
  const names = useMemberNames(value);
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  useEffect(() => () => void latest.current++, []);

  const search = async (text: string) => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const page = await orgApi.members({ search: text.trim() || undefined, limit: 20 });
      if (ticket !== latest.current) return;
      for (const member of page.items) rememberMember(member.id, member.name);
      setOptions(
        page.items
          .filter((member) => member.id !== exclude)
          .map((member) => ({ value: member.id, label: `${member.name}（${member.login}）` })),
      );
    } catch {
      if (ticket === latest.current) setOptions([]);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };
  const known = new Set(options.map((option) => option.value));
  const merged = [
    ...value.filter((each) => !known.has(each)).map((each) => ({ value: each, label: names[each] ?? '…' })),
    ...options,
  ];
  return (
    <Select
      id={id}
      className="work-people"
      aria-label={ariaLabel}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      value={multiple ? value : value[0]}
      loading={loading}
      placeholder={t('work.people.search')}
      showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
      onFocus={() => options.length === 0 && void search('')}
      notFoundContent={loading ? t('work.people.searching') : t('work.list.noMatch')}
      options={merged}
      onChange={(next: string | string[] | undefined) => {
        if (Array.isArray(next)) onChange(next);
        else onChange(typeof next === 'string' ? [next] : []);
      }}
      style={{ width: '100%' }}
    />
  );
}
