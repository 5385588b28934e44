import { App } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useT } from '../../i18n/index.ts';
import {
  answered,
  type CheckState,
  checking,
  type DraftIssue,
  type DraftTexts,
  failed,
  notChecked,
  publishable,
  publishedText,
} from './check-state.ts';
import { useBaseline } from './use-baseline.ts';

type Definition = Record<string, unknown>;

/** The server calls of a designer: a check that stores nothing, and publishing a version. */
export type DraftApi<R extends { issues: DraftIssue[] }> = {
  validate: (definition: Definition, signal?: AbortSignal) => Promise<R>;
  publish: (definition: Definition) => Promise<{ version: number; unchanged: boolean }>;
};

export type DesignerDraft<D, R extends { issues: DraftIssue[] }> = {
  draft: D;
  setDraft: (draft: D) => void;
  /** Changes some top-level parts of the draft. */
  set: (patch: Partial<D>) => void;
  check: CheckState<R['issues'][number]>;
  /** The latest answer of the check, kept while a later check is under way or fails. */
  answer: R | undefined;
  dirty: boolean;
  busy: boolean;
  error: string | null;
  dismissError: () => void;
  publish: () => Promise<void>;
};

/**
 * A designer's draft of one definition (a rule, a report …): the server checks every change — what publishing
 * would say — `delay` ms after the last one, and a publish checks once more first. Leaving with unpublished
 * changes asks; after a publish `onPublished` gets the draft once the editor is clean.
 * `toDefinition` must keep its identity between renders (a module function or a useCallback).
 */
export function useDesignerDraft<D extends object, R extends { issues: DraftIssue[] }>({
  initial,
  toDefinition,
  api,
  delay,
  texts,
  onPublished,
}: {
  initial: D;
  toDefinition: (draft: D) => Definition;
  api: DraftApi<R>;
  delay: number;
  texts: DraftTexts;
  onPublished: (draft: D) => void;
}): DesignerDraft<D, R> {
  const t = useT();
  const { message } = App.useApp();
  const [draft, setDraft] = useState(initial);
  const [check, setCheck] = useState<CheckState<R['issues'][number]>>(notChecked);
  const [answer, setAnswer] = useState<R>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const definition = useMemo(() => toDefinition(draft), [toDefinition, draft]);
  const text = JSON.stringify(definition);

  // Only the latest check may speak: an answer that arrives after a later question was asked is dropped.
  const latest = useRef(0);
  const runCheck = useCallback(
    async (def: Definition, signal?: AbortSignal): Promise<DraftIssue[] | null> => {
      const ticket = ++latest.current;
      setCheck(checking);
      try {
        const result = await api.validate(def, signal);
        if (ticket === latest.current) {
          setCheck(answered(result.issues));
          setAnswer(result);
        }
        return result.issues;
      } catch (e) {
        if (signal?.aborted) return null;
        if (ticket === latest.current) setCheck(failed);
        setError(describeApiError(e, t).detail ?? String(e));
        return null;
      }
    },
    [api, t],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `text` is the definition; it changes when it does
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => void runCheck(definition, controller.signal), delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const { dirty, markPublished } = useBaseline(text, texts, onPublished);

  const publish = async () => {
    setError(null);
    setBusy(true);
    try {
      const found = await runCheck(definition);
      if (!publishable(found)) return;
      const result = await api.publish(definition);
      message.success(publishedText(t, texts, result));
      markPublished(draft);
    } catch (e) {
      setError(describeApiError(e, t).detail ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  return {
    draft,
    setDraft,
    set: (patch) => setDraft((d) => ({ ...d, ...patch })),
    check,
    answer,
    dirty,
    busy,
    error,
    dismissError: () => setError(null),
    publish,
  };
}
