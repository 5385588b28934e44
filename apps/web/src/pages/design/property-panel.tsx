import { ArrowLeftOutlined, ArrowRightOutlined, DeleteOutlined } from '@ant-design/icons';
import type { PreparedSchema } from '@baton/expression';
import { Button, Checkbox, Empty, Input, InputNumber, Radio, Select, Switch } from 'antd';
import type { DefaultSource, WidgetContext } from '../../field-types/define.ts';
import { findWebFieldType, webFieldTypes } from '../../field-types/registry.ts';
import { type FieldDefinition, type FormDefinition, isBlank, type Label, pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { AssignedToEditor, FieldAccessEditor } from './access-settings.tsx';
import {
  type Draft,
  type DraftField,
  type DraftItem,
  type DraftSubtable,
  findColumn,
  findField,
  findSubtable,
  retype,
  type Target,
  targetId,
} from './draft.ts';
import { pickerEntries } from './expression.ts';
import { FormulaEditor } from './formula-editor.tsx';
import { type DesignIssue, type IssueMap, issuesUnder, issueText } from './issues.ts';
import { Prop, SettingEditor } from './setting-editors.tsx';

export type DraftChange = (change: (draft: Draft) => Draft) => void;

export type PropertyPanelProps = {
  draft: Draft;
  definition: FormDefinition;
  selection: Target;
  select: (target: Target) => void;
  change: DraftChange;
  issues: IssueMap;
  schema: PreparedSchema | undefined;
  /** Changes a main field, a column or a placed item (the canvas's operations, shared). */
  ops: PanelOps;
};

export type PanelOps = {
  updateField: (target: Target, change: (def: FieldDefinition) => FieldDefinition) => void;
  updateItem: (uid: string, change: (item: DraftItem) => DraftItem) => void;
  updateSubtable: (uid: string, change: (def: DraftSubtable['def']) => DraftSubtable['def']) => void;
  updateSection: (uid: string, title: Label | undefined) => void;
  updateForm: (change: Partial<Pick<Draft, 'pack' | 'key' | 'kind' | 'label'>>) => void;
  addColumn: (sub: string, type: string) => void;
  stepColumn: (sub: string, uid: string, delta: -1 | 1) => void;
  removeColumn: (sub: string, uid: string) => void;
};

const spans = [6, 8, 12, 16, 18, 24] as const;
const spanKeys: Readonly<Record<(typeof spans)[number], MessageKey>> = {
  6: 'design.prop.span6',
  8: 'design.prop.span8',
  12: 'design.prop.span12',
  16: 'design.prop.span16',
  18: 'design.prop.span18',
  24: 'design.prop.span24',
};
const sourceKeys: Readonly<Record<DefaultSource, MessageKey>> = {
  member: 'design.default.fromMember',
  department: 'design.default.fromDepartment',
  unit: 'design.default.fromUnit',
  post: 'design.default.fromPost',
  today: 'design.default.fromToday',
  now: 'design.default.fromNow',
};

function texts(list: readonly DesignIssue[], t: Translate): string[] {
  return [...new Set(list.map((issue) => issueText(issue, t)))];
}

function LabelInputs({
  idPrefix,
  value,
  onChange,
  issues,
  optional = false,
}: {
  idPrefix: string;
  value: Label | undefined;
  onChange: (label: Label) => void;
  issues: readonly DesignIssue[];
  optional?: boolean;
}) {
  const t = useT();
  const label = value ?? { zh: '', en: '' };
  return (
    <>
      <Prop
        id={`${idPrefix}-zh`}
        label={optional ? t('design.prop.titleZh') : t('design.prop.labelZh')}
        issues={texts(issuesUnder(issues, ['zh']), t)}
      >
        <Input
          id={`${idPrefix}-zh`}
          size="small"
          value={label.zh}
          onChange={(event) => onChange({ ...label, zh: event.target.value })}
        />
      </Prop>
      <Prop
        id={`${idPrefix}-en`}
        label={optional ? t('design.prop.titleEn') : t('design.prop.labelEn')}
        issues={texts(issuesUnder(issues, ['en']), t)}
      >
        <Input
          id={`${idPrefix}-en`}
          size="small"
          value={label.en}
          onChange={(event) => onChange({ ...label, en: event.target.value })}
        />
      </Prop>
    </>
  );
}

function KeyInput({
  id,
  value,
  onChange,
  issues,
  disabled = false,
  help,
  label,
}: {
  id: string;
  value: string;
  onChange: (key: string) => void;
  issues: readonly DesignIssue[];
  disabled?: boolean;
  help?: string;
  label?: string;
}) {
  const t = useT();
  return (
    <Prop
      id={id}
      label={label ?? t('design.prop.key')}
      issues={texts(issues, t)}
      help={help ?? t('design.prop.keyHelp')}
    >
      <Input
        id={id}
        size="small"
        className="design-key-input"
        value={value}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        status={issues.length > 0 ? 'error' : undefined}
        onChange={(event) => onChange(event.target.value.trim())}
      />
    </Prop>
  );
}

type DefaultMode = 'none' | 'value' | 'from' | 'expr';

function defaultMode(value: FieldDefinition['default']): DefaultMode {
  if (value === undefined) return 'none';
  if (value && typeof value === 'object' && !Array.isArray(value)) return 'from' in value ? 'from' : 'expr';
  return 'value';
}

function DefaultEditor({
  field,
  form,
  onChange,
  schema,
  scope,
  issues,
  definition,
}: {
  field: FieldDefinition;
  form: { pack: string; key: string };
  onChange: (change: (def: FieldDefinition) => FieldDefinition) => void;
  schema: PreparedSchema | undefined;
  scope?: string;
  issues: readonly DesignIssue[];
  definition: FormDefinition;
}) {
  const t = useT();
  const locale = useLocale();
  const type = findWebFieldType(field.type);
  const exprType = type.semantics(field).exprType;
  const mode = defaultMode(field.default);
  const sources = type.design.defaultFrom ?? [];
  const modes: { value: DefaultMode; label: string }[] = [{ value: 'none', label: t('design.default.none') }];
  if (type.design.staticDefault !== false) modes.push({ value: 'value', label: t('design.default.value') });
  if (sources.length > 0) modes.push({ value: 'from', label: t('design.default.from') });
  if (exprType) modes.push({ value: 'expr', label: t('design.default.expr') });
  if (modes.length === 1) return null;
  const setDefault = (value: FieldDefinition['default'] | undefined) =>
    onChange((def) => {
      const { default: _old, ...rest } = def;
      return value === undefined ? rest : { ...rest, default: value };
    });
  const ctx: WidgetContext = { form, locale, t, ...(scope ? { scope } : {}) };
  const Widget = type.Widget;
  const id = 'prop-default';
  return (
    <Prop label={t('design.prop.default')} issues={texts(issues, t)}>
      <Radio.Group
        size="small"
        optionType="button"
        value={mode}
        options={modes}
        aria-label={t('design.prop.defaultMode')}
        onChange={(event) => {
          const next = event.target.value as DefaultMode;
          if (next === 'none') setDefault(undefined);
          else if (next === 'value') setDefault(null);
          else if (next === 'from') setDefault({ from: sources[0] as DefaultSource });
          else setDefault({ expr: '' });
        }}
      />
      <div className="design-default-editor">
        {mode === 'value' && (
          <Widget
            field={field}
            value={field.default ?? null}
            onChange={(value) => setDefault(isBlank(value) ? null : (value as FieldDefinition['default']))}
            mode="edit"
            id={id}
            ctx={ctx}
          />
        )}
        {mode === 'from' && (
          <Select
            size="small"
            className="design-select"
            aria-label={t('design.default.from')}
            value={(field.default as { from: DefaultSource }).from}
            options={sources.map((source) => ({ value: source, label: t(sourceKeys[source]) }))}
            onChange={(source: DefaultSource) => setDefault({ from: source })}
          />
        )}
        {mode === 'expr' && exprType && (
          <FormulaEditor
            id="prop-default-expr"
            value={String((field.default as { expr?: unknown }).expr ?? '')}
            onChange={(expr) => setDefault({ expr })}
            schema={schema}
            {...(scope ? { scope } : {})}
            expect={exprType}
            entries={pickerEntries(definition, (f) => findWebFieldType(f.type).semantics(f), {
              ...(scope ? { scope } : {}),
              self: field.key,
            })}
          />
        )}
      </div>
    </Prop>
  );
}

function ValidationEditor({
  field,
  onChange,
  schema,
  scope,
  issues,
  definition,
}: {
  field: FieldDefinition;
  onChange: (change: (def: FieldDefinition) => FieldDefinition) => void;
  schema: PreparedSchema | undefined;
  scope?: string;
  issues: readonly DesignIssue[];
  definition: FormDefinition;
}) {
  const t = useT();
  const validation = field.validation;
  const set = (next: FieldDefinition['validation'] | undefined) =>
    onChange((def) => {
      const { validation: _old, ...rest } = def;
      return next ? { ...rest, validation: next } : rest;
    });
  return (
    <div className="design-validation">
      <Prop id="prop-validation-on" label={t('design.prop.validation')}>
        <Switch
          id="prop-validation-on"
          size="small"
          checked={Boolean(validation)}
          onChange={(on) => set(on ? { expr: '', message: { zh: '填写有误', en: 'Invalid value' } } : undefined)}
        />
      </Prop>
      {validation && (
        <>
          <Prop id="prop-validation-expr" label={t('design.prop.validationExpr')}>
            <FormulaEditor
              id="prop-validation-expr"
              value={validation.expr}
              onChange={(expr) => set({ ...validation, expr })}
              schema={schema}
              {...(scope ? { scope } : {})}
              expect="boolean"
              entries={pickerEntries(definition, (f) => findWebFieldType(f.type).semantics(f), {
                ...(scope ? { scope } : {}),
              })}
              serverIssues={texts(issuesUnder(issues, ['expr']), t)}
            />
          </Prop>
          <LabelInputs
            idPrefix="prop-validation-message"
            value={validation.message}
            onChange={(message) => set({ ...validation, message })}
            issues={issuesUnder(issues, ['message'])}
          />
        </>
      )}
    </div>
  );
}

function FieldProps({
  field,
  item,
  target,
  sub,
  props,
}: {
  field: DraftField;
  item?: DraftItem;
  target: Target;
  sub?: DraftSubtable;
  props: PropertyPanelProps;
}) {
  const t = useT();
  const locale = useLocale();
  const { ops, definition, schema, draft } = props;
  const def = field.def;
  const type = findWebFieldType(def.type);
  const semantics = type.semantics(def);
  const issues = props.issues.get(field.uid) ?? [];
  const scope = sub?.def.key;
  const change = (fn: (d: FieldDefinition) => FieldDefinition) => ops.updateField(target, fn);
  const entries = pickerEntries(definition, (f) => findWebFieldType(f.type).semantics(f), {
    ...(scope ? { scope } : {}),
    self: def.key,
  });
  const settings = type.design.settings ?? [];
  const shown = new Set([
    'key',
    'label',
    'type',
    'required',
    'default',
    'validation',
    'help',
    ...settings.map((s) => s.name),
  ]);
  const others = issues.filter((issue) => !shown.has(String(issue.rest[0] ?? '')));
  const choices = webFieldTypes().filter((candidate) => !sub || candidate.design.inSubtable !== false);
  return (
    <div className="design-props" data-props-for={def.key}>
      <h2 className="design-props-title">
        {sub ? t('design.prop.columnTitle', { sub: pickLabel(sub.def.label, locale) }) : t('design.prop.fieldTitle')}
      </h2>
      <Prop id="prop-type" label={t('design.prop.type')} issues={texts(issuesUnder(issues, ['type']), t)}>
        <Select
          id="prop-type"
          size="small"
          className="design-select"
          value={def.type}
          showSearch={{ optionFilterProp: 'search' }}
          options={choices.map((candidate) => ({
            value: candidate.type,
            search: `${candidate.design.label.zh} ${candidate.design.label.en} ${candidate.type}`,
            label: (
              <span className="design-type-option">
                {candidate.design.icon} {pickLabel(candidate.design.label, locale)}
              </span>
            ),
          }))}
          onChange={(next: string) =>
            change((d) => {
              const retyped = retype(d, next, findWebFieldType(next).design.config?.());
              // A label still reading as the old type's name takes the new type's name.
              const before = type.design.label;
              return d.label.zh === before.zh && d.label.en === before.en
                ? { ...retyped, label: { ...findWebFieldType(next).design.label } }
                : retyped;
            })
          }
        />
      </Prop>
      {field.publishedType !== undefined && def.type !== field.publishedType && (
        <p className="design-note">{t('design.prop.typeChangeNote')}</p>
      )}
      <LabelInputs
        idPrefix="prop-label"
        value={def.label}
        onChange={(label) => change((d) => ({ ...d, label }))}
        issues={issuesUnder(issues, ['label'])}
      />
      <KeyInput
        id="prop-key"
        value={def.key}
        onChange={(key) => change((d) => ({ ...d, key }))}
        issues={issuesUnder(issues, ['key'])}
        {...(field.publishedKey !== undefined && field.publishedKey !== def.key
          ? { help: t('design.prop.renamedHelp', { key: field.publishedKey }) }
          : {})}
      />
      {item && (
        <div className="design-prop-row">
          <Prop id="prop-span" label={t('design.prop.span')}>
            <Select
              id="prop-span"
              size="small"
              className="design-select"
              value={item.span}
              options={spans.map((span) => ({ value: span, label: t(spanKeys[span]) }))}
              onChange={(span: number) => ops.updateItem(item.uid, (it) => ({ ...it, span }))}
            />
          </Prop>
          <Prop id="prop-new-row" label={t('design.prop.newRow')}>
            <Switch
              id="prop-new-row"
              size="small"
              checked={item.newRow === true}
              onChange={(on) =>
                ops.updateItem(item.uid, ({ newRow: _old, ...rest }) => (on ? { ...rest, newRow: true } : rest))
              }
            />
          </Prop>
        </div>
      )}
      {!semantics.computed && !semantics.nodeOnly && (
        <Prop id="prop-required" label={t('design.prop.required')} issues={texts(issuesUnder(issues, ['required']), t)}>
          <Switch
            id="prop-required"
            size="small"
            checked={def.required === true}
            onChange={(on) => change((d) => ({ ...d, required: on }))}
          />
        </Prop>
      )}
      {settings.map((setting) => (
        <SettingEditor
          key={`${def.type}:${setting.name}`}
          setting={setting}
          value={def[setting.name]}
          onChange={(value) =>
            change((d) => {
              const next = { ...d };
              if (value === undefined) delete next[setting.name];
              else next[setting.name] = value;
              return next;
            })
          }
          ctx={{
            field: def,
            definition,
            schema,
            ...(scope ? { scope } : {}),
            entries,
            issues: texts(issuesUnder(issues, [setting.name]), t),
            idPrefix: 'prop',
          }}
        />
      ))}
      {!semantics.computed && !semantics.nodeOnly && (
        <DefaultEditor
          field={def}
          form={{ pack: draft.pack, key: draft.key }}
          onChange={change}
          schema={schema}
          {...(scope ? { scope } : {})}
          issues={issuesUnder(issues, ['default'])}
          definition={definition}
        />
      )}
      {!semantics.computed && !semantics.nodeOnly && (
        <ValidationEditor
          field={def}
          onChange={change}
          schema={schema}
          {...(scope ? { scope } : {})}
          issues={issuesUnder(issues, ['validation'])}
          definition={definition}
        />
      )}
      <details className="design-help-details" open={Boolean(def.help)}>
        <summary>{t('design.prop.help')}</summary>
        <LabelInputs
          idPrefix="prop-help"
          value={def.help}
          onChange={(help) =>
            change(({ help: _old, ...rest }) => (help.zh === '' && help.en === '' ? rest : { ...rest, help }))
          }
          issues={issuesUnder(issues, ['help'])}
          optional
        />
      </details>
      {others.length > 0 && (
        <div className="design-other-issues" role="alert">
          {texts(others, t).map((text) => (
            <div key={text} className="design-prop-error">
              {text}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function SubtableProps({ sub, props }: { sub: DraftSubtable; props: PropertyPanelProps }) {
  const t = useT();
  const locale = useLocale();
  const { ops } = props;
  const issues = props.issues.get(sub.uid) ?? [];
  const numeric = sub.columns.filter((column) => {
    const type = findWebFieldType(column.def.type).semantics(column.def).exprType;
    return type === 'number' || type === 'money';
  });
  return (
    <div className="design-props" data-props-for={sub.def.key}>
      <h2 className="design-props-title">{t('design.prop.subtableTitle')}</h2>
      <LabelInputs
        idPrefix="prop-label"
        value={sub.def.label}
        onChange={(label) => ops.updateSubtable(sub.uid, (d) => ({ ...d, label }))}
        issues={issuesUnder(issues, ['label'])}
      />
      <KeyInput
        id="prop-key"
        value={sub.def.key}
        onChange={(key) => ops.updateSubtable(sub.uid, (d) => ({ ...d, key }))}
        issues={issuesUnder(issues, ['key'])}
      />
      <div className="design-prop-row">
        <Prop id="prop-min-rows" label={t('design.prop.minRows')} issues={texts(issuesUnder(issues, ['minRows']), t)}>
          <InputNumber
            id="prop-min-rows"
            size="small"
            min={0}
            max={10_000}
            precision={0}
            value={sub.def.minRows ?? null}
            onChange={(value) =>
              ops.updateSubtable(sub.uid, ({ minRows: _old, ...rest }) =>
                value === null ? rest : { ...rest, minRows: Number(value) },
              )
            }
          />
        </Prop>
        <Prop id="prop-max-rows" label={t('design.prop.maxRows')} issues={texts(issuesUnder(issues, ['maxRows']), t)}>
          <InputNumber
            id="prop-max-rows"
            size="small"
            min={1}
            max={10_000}
            precision={0}
            value={sub.def.maxRows ?? null}
            onChange={(value) =>
              ops.updateSubtable(sub.uid, ({ maxRows: _old, ...rest }) =>
                value === null ? rest : { ...rest, maxRows: Number(value) },
              )
            }
          />
        </Prop>
      </div>
      {numeric.length > 0 && (
        <Prop label={t('design.prop.totals')} issues={texts(issuesUnder(issues, ['totals']), t)}>
          <Checkbox.Group
            value={sub.def.totals ?? []}
            options={numeric.map((column) => ({
              value: column.def.key,
              label: pickLabel(column.def.label, locale),
            }))}
            onChange={(values) =>
              ops.updateSubtable(sub.uid, ({ totals: _old, ...rest }) =>
                values.length === 0 ? rest : { ...rest, totals: values as string[] },
              )
            }
          />
        </Prop>
      )}
      <Prop label={t('design.prop.columns')}>
        <ol className="design-column-list">
          {sub.columns.map((column, index) => {
            const columnIssues = props.issues.get(column.uid) ?? [];
            const name = pickLabel(column.def.label, locale);
            return (
              <li key={column.uid} className={columnIssues.length > 0 ? 'design-column-invalid' : undefined}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => props.select({ kind: 'column', sub: sub.uid, uid: column.uid })}
                >
                  {findWebFieldType(column.def.type).design.icon} {name} <code>{column.def.key}</code>
                </Button>
                <span className="design-column-actions">
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowLeftOutlined aria-hidden />}
                    aria-label={t('design.canvas.columnLeft', { name })}
                    disabled={index === 0}
                    onClick={() => ops.stepColumn(sub.uid, column.uid, -1)}
                  />
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowRightOutlined aria-hidden />}
                    aria-label={t('design.canvas.columnRight', { name })}
                    disabled={index === sub.columns.length - 1}
                    onClick={() => ops.stepColumn(sub.uid, column.uid, 1)}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('design.canvas.removeColumn', { name })}
                    disabled={sub.columns.length <= 1}
                    onClick={() => ops.removeColumn(sub.uid, column.uid)}
                  />
                </span>
              </li>
            );
          })}
        </ol>
        <Select
          size="small"
          className="design-select"
          value={null}
          placeholder={t('design.canvas.addColumn')}
          aria-label={t('design.canvas.addColumn')}
          options={webFieldTypes()
            .filter((candidate) => candidate.design.inSubtable !== false)
            .map((candidate) => ({ value: candidate.type, label: pickLabel(candidate.design.label, locale) }))}
          onChange={(type: string | null) => type && ops.addColumn(sub.uid, type)}
        />
      </Prop>
      {issues.filter((i) => !['label', 'key', 'minRows', 'maxRows', 'totals'].includes(String(i.rest[0]))).length >
        0 && (
        <div className="design-other-issues" role="alert">
          {texts(
            issues.filter((i) => !['label', 'key', 'minRows', 'maxRows', 'totals'].includes(String(i.rest[0]))),
            t,
          ).map((text) => (
            <div key={text} className="design-prop-error">
              {text}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function FormProps({ props }: { props: PropertyPanelProps }) {
  const t = useT();
  const { draft, ops } = props;
  const issues = props.issues.get('form') ?? [];
  const fixed = draft.version > 0;
  return (
    <div className="design-props" data-props-for="form">
      <h2 className="design-props-title">{t('design.prop.formTitle')}</h2>
      <LabelInputs
        idPrefix="prop-form-label"
        value={draft.label}
        onChange={(label) => ops.updateForm({ label })}
        issues={issuesUnder(issues, ['label'])}
      />
      <KeyInput
        id="prop-form-pack"
        value={draft.pack}
        onChange={(pack) => ops.updateForm({ pack })}
        issues={issuesUnder(issues, ['pack'])}
        label={t('design.prop.pack')}
        disabled={fixed}
        help={fixed ? t('design.prop.fixedAfterPublish') : t('design.prop.packHelp')}
      />
      <KeyInput
        id="prop-form-key"
        value={draft.key}
        onChange={(key) => ops.updateForm({ key })}
        issues={issuesUnder(issues, ['key'])}
        label={t('design.prop.formKey')}
        disabled={fixed}
        help={fixed ? t('design.prop.fixedAfterPublish') : t('design.prop.formKeyHelp')}
      />
      <Prop label={t('design.prop.kind')}>
        <Radio.Group
          size="small"
          value={draft.kind}
          aria-label={t('design.prop.kind')}
          options={[
            { value: 'flow', label: t('records.kindFlow') },
            { value: 'archive', label: t('records.kindArchive') },
          ]}
          onChange={(event) => ops.updateForm({ kind: event.target.value as Draft['kind'] })}
        />
      </Prop>
      <AssignedToEditor draft={draft} change={props.change} issues={issues} />
      <FieldAccessEditor draft={draft} change={props.change} issues={issues} />
      {issues
        .filter((i) => !['label', 'key', 'pack', 'assignedTo', 'fieldAccess'].includes(String(i.rest[0])))
        .map((issue) => (
          <div key={`${issue.rest.join('.')}:${issue.code}`} className="design-prop-error" role="alert">
            {issue.rest.join('.')}: {issueText(issue, t)}
          </div>
        ))}
    </div>
  );
}

function SectionProps({ uid, props }: { uid: string; props: PropertyPanelProps }) {
  const t = useT();
  const section = props.draft.sections.find((s) => s.uid === uid);
  if (!section) return null;
  const issues = props.issues.get(uid) ?? [];
  return (
    <div className="design-props" data-props-for={`section:${section.key ?? uid}`}>
      <h2 className="design-props-title">{t('design.prop.sectionTitle')}</h2>
      <LabelInputs
        idPrefix="prop-section-title"
        value={section.title}
        onChange={(title) => props.ops.updateSection(uid, title.zh === '' && title.en === '' ? undefined : title)}
        issues={issuesUnder(issues, ['title'])}
        optional
      />
      {issues
        .filter((i) => i.rest[0] !== 'title')
        .map((issue) => (
          <div key={`${issue.rest.join('.')}:${issue.code}`} className="design-prop-error" role="alert">
            {issueText(issue, t)}
          </div>
        ))}
    </div>
  );
}

/** The properties of whatever is selected: the form, a section, a field, a subtable or one of its columns. */
export function PropertyPanel(props: PropertyPanelProps) {
  const t = useT();
  const { draft, selection } = props;
  let body = null;
  if (selection.kind === 'form') body = <FormProps props={props} />;
  else if (selection.kind === 'section') body = <SectionProps uid={selection.uid} props={props} />;
  else if (selection.kind === 'field') {
    const field = findField(draft, selection.uid);
    const item = draft.sections.flatMap((s) => s.items).find((it) => it.uid === selection.uid);
    if (field)
      body = <FieldProps key={field.uid} field={field} target={selection} props={props} {...(item ? { item } : {})} />;
  } else if (selection.kind === 'subtable') {
    const sub = findSubtable(draft, selection.uid);
    if (sub) body = <SubtableProps key={sub.uid} sub={sub} props={props} />;
  } else {
    const sub = findSubtable(draft, selection.sub);
    const column = findColumn(draft, selection.sub, selection.uid);
    if (sub && column) body = <FieldProps key={column.uid} field={column} target={selection} sub={sub} props={props} />;
  }
  return (
    <aside className="designer-properties" aria-label={t('design.prop.panel')} data-selected={targetId(selection)}>
      {body ?? <Empty description={t('design.prop.nothing')} />}
    </aside>
  );
}
