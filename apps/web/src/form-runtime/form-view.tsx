import { Alert, App, Col, Row as GridRow } from 'antd';
import { useCallback, useMemo } from 'react';
import type { WidgetContext, WidgetMode } from '../field-types/define.ts';
import { findWebFieldType } from '../field-types/registry.ts';
import { useLocale, useT } from '../i18n/index.ts';
import { accessOf, type ClientForm, type DefaultContext, newRow, prepareClientForm, recompute } from './compute.ts';
import { FieldCell } from './field-cell.tsx';
import { buildLayout } from './layout.ts';
import { registrySemantics } from './semantics.ts';
import { SubtableView } from './subtable-view.tsx';
import {
  type FieldAccessMap,
  type FormDefinition,
  type FormIssue,
  type Label,
  pathKey,
  pickLabel,
  type Row,
  type Values,
} from './types.ts';
import { useAutoSave } from './use-auto-save.ts';
import { useDirtyGuard } from './use-dirty-guard.ts';
import './form-runtime.css';

/** The compiled client view of a definition (formulas, validations), once per definition. */
export function useClientForm(definition: FormDefinition): ClientForm {
  return useMemo(() => prepareClientForm(definition, registrySemantics), [definition]);
}

export function todayContext(extra: Omit<DefaultContext, 'today' | 'now'> = {}): DefaultContext {
  const now = new Date();
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return { ...extra, today, now: now.toISOString() };
}

export type FormViewProps = {
  definition: FormDefinition;
  values: Values;
  /** Every edit, with formulas already recomputed. */
  onChange: (values: Values) => void;
  mode?: WidgetMode;
  /** Field access of the viewer (`hidden` `read` `edit` `required`); a missing key is `edit`. */
  access?: FieldAccessMap;
  /** Client validation and server field errors, by path. */
  issues?: readonly FormIssue[];
  /** Unsaved changes: leaving the page asks first, and auto-save runs. */
  dirty?: boolean;
  /** Draft auto-save (the flow UI): called with the values after they have rested for `autoSaveDelayMs`. */
  onAutoSave?: (values: Values) => void | Promise<void>;
  autoSaveDelayMs?: number;
  /** Who is filling in: defaults of new subtable rows. */
  defaults?: DefaultContext;
  /** `phone` draws the phone layout whatever the window's width (the form designer's phone preview). */
  layout?: 'auto' | 'phone';
};

/**
 * Draws a form from its definition: sections and the 24-column grid of its paper original on a desktop, one
 * column under 768 px; subtables with add, copy and remove row and live totals; formulas recomputed on every
 * edit with @baton/expression (the server recomputes them on save).
 */
export function FormView({
  definition,
  values,
  onChange,
  mode = 'edit',
  access,
  issues = [],
  dirty = false,
  onAutoSave,
  autoSaveDelayMs = 3000,
  defaults,
  layout = 'auto',
}: FormViewProps) {
  const t = useT();
  const locale = useLocale();
  const { modal } = App.useApp();
  const form = useClientForm(definition);

  const confirmLeave = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title: t('formView.leaveTitle'),
          content: t('formView.leaveBody'),
          okText: t('formView.leave'),
          cancelText: t('formView.stay'),
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal, t],
  );
  useDirtyGuard(dirty && mode === 'edit', confirmLeave);
  useAutoSave(values, dirty && mode === 'edit', onAutoSave, autoSaveDelayMs);

  const issueMap = useMemo(() => {
    const map = new Map<string, Label>();
    for (const issue of issues) if (!map.has(pathKey(issue.path))) map.set(pathKey(issue.path), issue.message);
    return map;
  }, [issues]);
  const issueAt = useCallback((path: (string | number)[]) => issueMap.get(pathKey(path)), [issueMap]);

  const update = useCallback((next: Values) => onChange(recompute(form, next)), [form, onChange]);
  const fieldKeys = useMemo(() => new Set(definition.fields.map((f) => f.key)), [definition]);
  const ctx: WidgetContext = useMemo(
    () => ({
      form: { pack: definition.pack, key: definition.key },
      locale,
      t,
      // A reference at the main level fills main fields only.
      fill: (filled) =>
        update({ ...values, ...Object.fromEntries(Object.entries(filled).filter(([key]) => fieldKeys.has(key))) }),
    }),
    [definition, locale, t, update, values, fieldKeys],
  );

  const sections = useMemo(
    () =>
      buildLayout(definition, {
        visible: (key) => accessOf(access, key) !== 'hidden',
        defaultSpan: (key) => {
          const field = definition.fields.find((f) => f.key === key);
          return field ? (findWebFieldType(field.type).span ?? 12) : 24;
        },
      }),
    [definition, access],
  );
  const fields = useMemo(() => new Map(definition.fields.map((f) => [f.key, f])), [definition]);
  const subtables = useMemo(() => new Map((definition.subtables ?? []).map((s) => [s.key, s])), [definition]);
  const rowDefaults = defaults ?? todayContext();

  return (
    <div
      className={layout === 'phone' ? 'form-view form-view-phone' : 'form-view'}
      data-form={`${definition.pack}.${definition.key}`}
    >
      {form.problems.length > 0 && mode === 'edit' && (
        <Alert type="info" showIcon className="form-view-note" title={t('formView.serverComputes')} />
      )}
      {sections.map((section) => (
        <section
          key={section.key}
          className="form-section"
          aria-label={section.title ? pickLabel(section.title, locale) : undefined}
        >
          {section.title && <h2 className="form-section-title">{pickLabel(section.title, locale)}</h2>}
          <div className="form-grid">
            {section.rows.map((row) => (
              <GridRow key={row.map((item) => item.key).join('|')} className="form-grid-row">
                {row.map((item) => {
                  const sub = item.kind === 'subtable' ? subtables.get(item.key) : undefined;
                  if (sub) {
                    const level = accessOf(access, sub.key);
                    return (
                      <Col key={item.key} xs={24} className="form-grid-col">
                        <SubtableView
                          sub={sub}
                          rows={Array.isArray(values[sub.key]) ? (values[sub.key] as Row[]) : []}
                          onRowsChange={(rows) => update({ ...values, [sub.key]: rows })}
                          level={level}
                          columnLevel={(column) => accessOf(access, `${sub.key}.${column}`, level)}
                          mode={mode}
                          issueAt={issueAt}
                          makeRow={() => newRow(sub, rowDefaults)}
                          ctx={ctx}
                          phone={layout === 'phone'}
                        />
                      </Col>
                    );
                  }
                  const field = fields.get(item.key);
                  if (!field) return null;
                  return (
                    <Col key={item.key} xs={24} md={layout === 'phone' ? 24 : item.span} className="form-grid-col">
                      <FieldCell
                        field={field}
                        value={values[field.key] ?? null}
                        onChange={(value) => update({ ...values, [field.key]: value })}
                        level={accessOf(access, field.key)}
                        mode={mode}
                        issue={issueAt([field.key])}
                        ctx={ctx}
                        id={`f-${field.key}`}
                      />
                    </Col>
                  );
                })}
              </GridRow>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
