import { useEffect, useState } from 'react';
import { flowsApi } from '../../api/flows.ts';
import { formsApi } from '../../form-runtime/api.ts';
import type { FormDefinition, Label } from '../../form-runtime/types.ts';
import { splitRef } from './rule-model.ts';

// Published forms and flows the rule editor reads (the source form, targets of actions), each fetched once per
// page load: an editor names the same few again and again.

export type FlowInfo = { form: FormDefinition; nodes: { key: string; kind: string; name?: Label }[] };

const forms = new Map<string, Promise<FormDefinition | undefined>>();
const flows = new Map<string, Promise<FlowInfo | undefined>>();

export function loadForm(ref: string): Promise<FormDefinition | undefined> {
  const parts = splitRef(ref);
  if (!parts) return Promise.resolve(undefined);
  let hit = forms.get(ref);
  if (!hit) {
    hit = formsApi.get(parts.pack, parts.key).then(
      (published) => published.definition,
      () => undefined,
    );
    forms.set(ref, hit);
  }
  return hit;
}

export function loadFlow(ref: string): Promise<FlowInfo | undefined> {
  const parts = splitRef(ref);
  if (!parts) return Promise.resolve(undefined);
  let hit = flows.get(ref);
  if (!hit) {
    hit = flowsApi.get(parts.pack, parts.key).then(
      (detail) => ({ form: detail.form.definition, nodes: detail.definition.nodes }),
      () => undefined,
    );
    flows.set(ref, hit);
  }
  return hit;
}

/** Forgets what was fetched (after publishing a form or flow elsewhere, a reload of the page does the same). */
export function forgetPublished(): void {
  forms.clear();
  flows.clear();
}

function usePromised<T>(load: (ref: string) => Promise<T | undefined>, ref: string): T | undefined {
  const [state, setState] = useState<{ ref: string; value: T | undefined }>({ ref: '', value: undefined });
  useEffect(() => {
    let alive = true;
    if (!ref) return;
    void load(ref).then((value) => {
      if (alive) setState({ ref, value });
    });
    return () => {
      alive = false;
    };
  }, [load, ref]);
  return state.ref === ref ? state.value : undefined;
}

/** The latest published definition of a form named `pack.key` (undefined while loading or when unknown). */
export const usePublishedForm = (ref: string) => usePromised(loadForm, ref);

/** A published flow named `pack.key`: its form and nodes. */
export const usePublishedFlow = (ref: string) => usePromised(loadFlow, ref);

/**
 * The forms of several `form:pack.key` / `flow:pack.key` names at once (a flow's for its form), as far as loaded:
 * what named actions hand on to later ones.
 */
export function usePublishedForms(names: readonly string[]): ReadonlyMap<string, FormDefinition> {
  const joined = [...new Set(names)].sort().join('|');
  const [loaded, setLoaded] = useState<ReadonlyMap<string, FormDefinition>>(() => new Map());
  useEffect(() => {
    let alive = true;
    const wanted = joined === '' ? [] : joined.split('|');
    void Promise.all(
      wanted.map(async (name) => {
        const [kind, ref = ''] = name.split(':');
        const form = kind === 'flow' ? (await loadFlow(ref))?.form : await loadForm(ref);
        return [name, form] as const;
      }),
    ).then((pairs) => {
      const found = new Map<string, FormDefinition>();
      for (const [name, form] of pairs) if (form) found.set(name, form);
      if (alive) setLoaded(found);
    });
    return () => {
      alive = false;
    };
  }, [joined]);
  return loaded;
}
