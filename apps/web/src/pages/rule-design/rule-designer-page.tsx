import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Dropdown,
  Flex,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Skeleton,
  Switch,
  Tabs,
  Tag,
} from 'antd';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type FlowSummary, flowsApi } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { type FormSummary, formsApi } from '../../form-runtime/api.ts';
import { registrySemantics } from '../../form-runtime/semantics.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { DraftHeader, DraftIssues, VersionTable } from '../designer-common/draft-parts.tsx';
import { useDesignerDraft } from '../designer-common/use-designer-draft.ts';
import { useLoad } from '../records/use-form-definition.ts';
import { ExpressionInput, type ExprScope } from './expression-input.tsx';
import { usePublishedFlow, usePublishedForm, usePublishedForms } from './published.ts';
import { type RuleVersion, ruleDesignApi } from './rule-design-api.ts';
import {
  type ActionDraft,
  type Compensation,
  emptyTrigger,
  type Issue,
  issuesAt,
  issuesUnder,
  type NamedOutput,
  newRule,
  nextUid,
  type OutputName,
  outputNames,
  outputsBefore,
  type RuleDraft,
  type RuleRegistry,
  renameOutput,
  ruleIn,
  ruleOut,
  sectionOf,
  starterSettings,
  type Trigger,
  type TriggerKind,
} from './rule-model.ts';
import { type SettingsContext, SettingsObject } from './settings-editor.tsx';
import '../design/designer.css';
import './rule-design.css';

const textOr = (t: Translate, key: string, fallback: string) =>
  (t(key as MessageKey) as string | undefined) ?? fallback;
const kindLabel = (t: Translate, kind: string) => textOr(t, `ruleDesign.kind.${kind}`, kind);
const eventLabel = (t: Translate, event: string) => textOr(t, `ruleDesign.event.${event}`, event);

/** The name usePublishedForms loads a named action's form by (blank: it hands on no form's fields). */
const formName = (output: NamedOutput) => (output.fieldsOf ? `${output.fieldsOf.kind}:${output.fieldsOf.ref}` : '');

type Catalogues = { forms: FormSummary[]; flows: FlowSummary[]; registry: RuleRegistry };

function TriggerCard({
  trigger,
  onChange,
  catalogues,
  issues,
}: {
  trigger: Trigger;
  onChange: (trigger: Trigger) => void;
  catalogues: Catalogues;
  issues: readonly Issue[] | null;
}) {
  const t = useT();
  const locale = useLocale();
  const flow = usePublishedFlow(trigger.kind === 'flow' ? trigger.ref : '');
  const form = usePublishedForm(trigger.kind !== 'flow' ? trigger.ref : '');
  const set = (patch: Partial<Trigger>) => onChange({ ...trigger, ...patch });
  const events = trigger.kind === 'flow' ? catalogues.registry.events.flow : catalogues.registry.events.form;
  const nodeEvents = trigger.events.some((event) => event === 'nodeEntered' || event === 'nodeCompleted');
  const refOptions =
    trigger.kind === 'flow'
      ? catalogues.flows.map((f) => ({
          value: `${f.pack}.${f.key}`,
          label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
        }))
      : catalogues.forms.map((f) => ({
          value: `${f.pack}.${f.key}`,
          label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
        }));
  const dateFields = (form?.fields ?? []).filter((field) =>
    ['date', 'datetime'].includes(registrySemantics(field).exprType ?? ''),
  );
  return (
    <Card size="small" title={t('ruleDesign.trigger')} className="rule-design-section" data-section="trigger">
      <Flex vertical gap={12}>
        <Radio.Group
          aria-label={t('ruleDesign.trigger.kind')}
          optionType="button"
          value={trigger.kind}
          onChange={(e) => onChange(emptyTrigger(e.target.value as TriggerKind))}
          options={(['flow', 'form', 'schedule', 'date'] as const).map((kind) => ({
            value: kind,
            label: t(`ruleDesign.trigger.${kind}` as MessageKey),
          }))}
        />
        <div className="rule-setting">
          <label className="rule-setting-label-text" htmlFor="rule-trigger-ref">
            {trigger.kind === 'flow' ? t('ruleDesign.trigger.flowRef') : t('ruleDesign.trigger.formRef')}
          </label>
          <div className="rule-setting-control">
            <Select
              id="rule-trigger-ref"
              value={trigger.ref || undefined}
              onChange={(ref: string) => set({ ref, nodes: [], field: '' })}
              options={refOptions}
              showSearch={{ optionFilterProp: 'label' }}
              className="rule-setting-ref"
            />
            <DraftIssues issues={issuesUnder(issues, ['on', trigger.kind === 'flow' ? 'flow' : 'form'])} />
          </div>
        </div>
        {(trigger.kind === 'flow' || trigger.kind === 'form') && (
          <div className="rule-setting">
            <span className="rule-setting-label-text" id="rule-trigger-events">
              {t('ruleDesign.trigger.events')}
            </span>
            <div className="rule-setting-control">
              <Checkbox.Group
                aria-labelledby="rule-trigger-events"
                value={trigger.events}
                onChange={(values) => set({ events: values.map(String) })}
                options={events.map((event) => ({ value: event, label: eventLabel(t, event) }))}
              />
              <DraftIssues issues={issuesUnder(issues, ['on', 'events'])} />
            </div>
          </div>
        )}
        {trigger.kind === 'flow' && nodeEvents && (
          <div className="rule-setting">
            <label className="rule-setting-label-text" htmlFor="rule-trigger-nodes">
              {t('ruleDesign.trigger.nodes')}
            </label>
            <div className="rule-setting-control">
              <Select
                id="rule-trigger-nodes"
                mode="multiple"
                value={trigger.nodes}
                onChange={(nodes: string[]) => set({ nodes })}
                placeholder={t('ruleDesign.trigger.allNodes')}
                options={(flow?.nodes ?? [])
                  .filter((node) => node.kind !== 'start' && node.kind !== 'end')
                  .map((node) => ({
                    value: node.key,
                    label: node.name ? `${pickLabel(node.name, locale)} (${node.key})` : node.key,
                  }))}
                className="rule-setting-ref"
              />
              <DraftIssues issues={issuesUnder(issues, ['on', 'nodes'])} />
            </div>
          </div>
        )}
        {trigger.kind === 'schedule' && (
          <Flex gap={8} wrap>
            <Input
              aria-label={t('ruleDesign.trigger.cron')}
              addonBefore={t('ruleDesign.trigger.cron')}
              placeholder="0 9 * * 1"
              value={trigger.cron}
              onChange={(e) => set({ cron: e.target.value })}
              style={{ maxWidth: 320 }}
            />
            <Input
              aria-label={t('ruleDesign.trigger.timeZone')}
              addonBefore={t('ruleDesign.trigger.timeZone')}
              value={trigger.timeZone}
              onChange={(e) => set({ timeZone: e.target.value })}
              style={{ maxWidth: 320 }}
            />
            <DraftIssues issues={issuesUnder(issues, ['on', 'schedule'])} />
          </Flex>
        )}
        {trigger.kind === 'date' && (
          <Flex gap={8} wrap align="center">
            <Select
              aria-label={t('ruleDesign.trigger.dateField')}
              placeholder={t('ruleDesign.trigger.dateField')}
              value={trigger.field || undefined}
              onChange={(field: string) => set({ field })}
              options={dateFields.map((field) => ({
                value: field.key,
                label: `${pickLabel(field.label, locale)} (${field.key})`,
              }))}
              style={{ minWidth: 200 }}
            />
            <InputNumber
              aria-label={t('ruleDesign.trigger.days')}
              addonBefore={t('ruleDesign.trigger.days')}
              value={trigger.days}
              min={-3650}
              max={3650}
              onChange={(days) => set({ days: days ?? 0 })}
            />
            <Input
              aria-label={t('ruleDesign.trigger.at')}
              addonBefore={t('ruleDesign.trigger.at')}
              value={trigger.at}
              onChange={(e) => set({ at: e.target.value })}
              style={{ width: 160 }}
            />
            <DraftIssues issues={issuesUnder(issues, ['on', 'date'])} />
          </Flex>
        )}
        <DraftIssues issues={issuesAt(issues, ['on'])} />
      </Flex>
    </Card>
  );
}

function ActionCard({
  action,
  index,
  count,
  idPrefix,
  path,
  onChange,
  onMove,
  onRemove,
  catalogues,
  scope,
  issues,
}: {
  action: ActionDraft;
  index: number;
  count: number;
  /** Unique on the page: the main list's cards and the compensation's are both shown. */
  idPrefix: string;
  path: (string | number)[];
  onChange: (action: ActionDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  catalogues: Catalogues;
  scope: ExprScope;
  issues: readonly Issue[] | null;
}) {
  const t = useT();
  const locale = useLocale();
  const info = catalogues.registry.actions.find((entry) => entry.kind === action.kind);
  const here = issuesUnder(issues, path);
  const rowScope: ExprScope = { ...scope, row: action.forEachRow || undefined };
  // Run per row, an action has one output per row: it cannot be named (shown still when it is, with the issue).
  const nameable = Boolean(info?.output) && (action.forEachRow === '' || action.as !== '');
  const asIssues = issuesUnder(issues, [...path, 'as']);
  const ctx: SettingsContext = {
    path,
    issues,
    scope: rowScope,
    forms: catalogues.forms,
    flows: catalogues.flows,
    idPrefix,
  };
  const name = kindLabel(t, action.kind);
  return (
    <Card
      size="small"
      className={`rule-design-action${here.length > 0 ? ' design-draft-invalid' : ''}`}
      data-action={index}
      data-kind={action.kind}
      title={
        <Flex gap={8} align="center">
          <Tag>{index + 1}</Tag>
          {name}
          {info && !info.undoable && <Tag color="default">{t('ruleDesign.notUndone')}</Tag>}
        </Flex>
      }
      extra={
        <Flex gap={4}>
          <Button
            size="small"
            type="text"
            aria-label={t('ruleDesign.moveUp', { name: `${index + 1} ${name}` })}
            icon={<ArrowUpOutlined aria-hidden />}
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
          />
          <Button
            size="small"
            type="text"
            aria-label={t('ruleDesign.moveDown', { name: `${index + 1} ${name}` })}
            icon={<ArrowDownOutlined aria-hidden />}
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          />
          <Button
            size="small"
            type="text"
            danger
            aria-label={t('ruleDesign.removeAction', { name: `${index + 1} ${name}` })}
            icon={<DeleteOutlined aria-hidden />}
            onClick={onRemove}
          />
        </Flex>
      }
    >
      <Flex vertical gap={8}>
        <p className="rule-design-hint">{textOr(t, `ruleDesign.kindHint.${action.kind}`, '')}</p>
        <div className="rule-settings">
          {(scope.source?.subtables ?? []).length > 0 && (
            <div className="rule-setting">
              <label className="rule-setting-label-text" htmlFor={`${idPrefix}-forEachRow`}>
                {t('ruleDesign.forEachRow')}
              </label>
              <div className="rule-setting-control">
                <Select
                  id={`${idPrefix}-forEachRow`}
                  allowClear
                  placeholder={t('ruleDesign.forEachRow.none')}
                  value={action.forEachRow || undefined}
                  onChange={(forEachRow?: string) =>
                    onChange({ ...action, forEachRow: forEachRow ?? '', ...(forEachRow ? { as: '' } : {}) })
                  }
                  options={(scope.source?.subtables ?? []).map((sub) => ({
                    value: sub.key,
                    label: `${pickLabel(sub.label, locale)} (${sub.key})`,
                  }))}
                  className="rule-setting-ref"
                />
                <DraftIssues issues={issuesUnder(issues, [...path, 'forEachRow'])} />
              </div>
            </div>
          )}
          <div className="rule-setting">
            <label className="rule-setting-label-text" htmlFor={`${idPrefix}-when`}>
              {t('ruleDesign.actionWhen')}
            </label>
            <div className="rule-setting-control">
              <ExpressionInput
                id={`${idPrefix}-when`}
                value={action.when}
                onChange={(when) => onChange({ ...action, when })}
                scope={rowScope}
                expect="boolean"
                optional
                issues={issuesUnder(issues, [...path, 'when'])}
              />
            </div>
          </div>
          {nameable && (
            <div className="rule-setting" data-setting="as">
              <label className="rule-setting-label-text" htmlFor={`${idPrefix}-as`}>
                {t('ruleDesign.as')}
              </label>
              <div className="rule-setting-control">
                <Input
                  id={`${idPrefix}-as`}
                  value={action.as}
                  onChange={(e) => onChange({ ...action, as: e.target.value })}
                  placeholder="archive"
                  status={asIssues.length > 0 ? 'error' : undefined}
                  aria-invalid={asIssues.length > 0 || undefined}
                  className="rule-setting-as"
                  spellCheck={false}
                  autoComplete="off"
                />
                <p className="rule-design-hint rule-design-as-hint">
                  {t('ruleDesign.asHint', { name: action.as.trim() || 'archive' })}
                </p>
                <DraftIssues issues={asIssues} />
              </div>
            </div>
          )}
        </div>
        {info ? (
          <SettingsObject
            schema={info.settings}
            value={action.settings}
            onChange={(settings) => onChange({ ...action, settings })}
            ctx={ctx}
          />
        ) : (
          <Alert type="warning" showIcon message={t('ruleDesign.unknownKind', { kind: action.kind })} />
        )}
        <DraftIssues issues={issuesAt(issues, path).concat(issuesUnder(issues, [...path, 'kind']))} />
      </Flex>
    </Card>
  );
}

function ActionList({
  actions,
  onChange,
  prefix,
  idPrefix,
  catalogues,
  scope,
  issues,
}: {
  actions: ActionDraft[];
  onChange: (actions: ActionDraft[]) => void;
  prefix: (string | number)[];
  /** The element ids of its cards start with `<idPrefix>-<index>`. */
  idPrefix: string;
  catalogues: Catalogues;
  scope: ExprScope;
  issues: readonly Issue[] | null;
}) {
  const t = useT();
  const { registry } = catalogues;
  const add = (kind: string) => {
    const info = registry.actions.find((entry) => entry.kind === kind);
    onChange([
      ...actions,
      { uid: nextUid(), kind, when: '', forEachRow: '', as: '', settings: info ? starterSettings(info.settings) : {} },
    ]);
  };
  // The name each action's readers were last renamed to, by uid (a name typed afresh renames them from it).
  const given = useRef(new Map<string, string>());
  // What each action may read of the named ones before it, typed by the forms they write once loaded.
  const named = useMemo(() => outputsBefore(actions, actions.length, registry), [actions, registry]);
  const forms = usePublishedForms(named.map(formName).filter((name) => name !== ''));
  const outputs: OutputName[][] = useMemo(
    () =>
      actions.map((_, index) =>
        outputNames(
          outputsBefore(actions, index, registry),
          (output) => forms.get(formName(output)),
          registrySemantics,
        ),
      ),
    [actions, registry, forms],
  );
  return (
    <Flex vertical gap={12}>
      {actions.map((action, index) => (
        <ActionCard
          key={action.uid}
          action={action}
          index={index}
          count={actions.length}
          idPrefix={`${idPrefix}-${index}`}
          path={[...prefix, index]}
          onChange={(next) => {
            const list = actions.map((a, i) => (i === index ? next : a));
            if (next.as === action.as) return onChange(list);
            // Later expressions follow a rename; from the last name they were renamed to, so that clearing the
            // name and typing another (no valid name in between) still carries them over.
            const renamed = renameOutput(list, index, given.current.get(action.uid) ?? action.as, next.as, registry);
            if (renamed) given.current.set(action.uid, next.as.trim());
            onChange(renamed ?? list);
          }}
          onMove={(to) => {
            const copy = [...actions];
            const [moved] = copy.splice(index, 1);
            if (moved) copy.splice(to, 0, moved);
            onChange(copy);
          }}
          onRemove={() => onChange(actions.filter((_, i) => i !== index))}
          catalogues={catalogues}
          scope={{ ...scope, outputs: outputs[index] }}
          issues={issues}
        />
      ))}
      <Dropdown
        trigger={['click']}
        menu={{
          items: catalogues.registry.actions.map((info) => ({ key: info.kind, label: kindLabel(t, info.kind) })),
          onClick: ({ key }) => add(key),
        }}
      >
        <Button icon={<PlusOutlined aria-hidden />} className="rule-design-add-action">
          {t('ruleDesign.addAction')}
        </Button>
      </Dropdown>
    </Flex>
  );
}

/** The editor of one rule: header, trigger, condition, actions, compensation; live server check; publish. */
function RuleEditor({
  initial,
  isNew,
  catalogues,
  versions,
  taken,
  onPublished,
}: {
  initial: RuleDraft;
  isNew: boolean;
  catalogues: Catalogues;
  versions: RuleVersion[];
  taken: ReadonlySet<string>;
  onPublished: (draft: RuleDraft) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [tab, setTab] = useState('design');
  const { registry } = catalogues;
  // The server checks every change (what publishing would say), half a second after the last keystroke.
  const toDefinition = useCallback((draft: RuleDraft) => ruleOut(draft, registry), [registry]);
  const editor = useDesignerDraft({
    initial,
    toDefinition,
    api: ruleDesignApi,
    delay: 500,
    texts: 'ruleDesign',
    onPublished,
  });
  const { draft, setDraft, set } = editor;

  const flow = usePublishedFlow(draft.trigger.kind === 'flow' ? draft.trigger.ref : '');
  const form = usePublishedForm(draft.trigger.kind !== 'flow' ? draft.trigger.ref : '');
  const source = draft.trigger.kind === 'flow' ? flow?.form : form;
  const scope: ExprScope = useMemo(
    () => ({ source, before: draft.trigger.kind === 'form', context: registry.context }),
    [source, draft.trigger.kind, registry.context],
  );
  const issues = editor.check.issues;
  const compensations =
    draft.trigger.kind === 'flow'
      ? registry.compensations.flow
      : draft.trigger.kind === 'form'
        ? registry.compensations.form
        : [];

  return (
    <Flex vertical gap={12} className="rule-design">
      <DraftHeader
        kind="rule"
        editor={editor}
        isNew={isNew}
        taken={taken}
        name={{ ids: { zh: 'rule-name-zh', en: 'rule-name-en' }, value: draft.name, onChange: (name) => set({ name }) }}
        headerIssues={(issues ?? []).filter((issue) => sectionOf(issue) === 'header')}
      >
        <Flex gap={6} align="center">
          <Switch
            id="rule-enabled"
            aria-label={t('ruleDesign.enabled')}
            checked={draft.enabled}
            onChange={(enabled) => set({ enabled })}
          />
          <label htmlFor="rule-enabled">{t('ruleDesign.enabled')}</label>
        </Flex>
        <InputNumber
          aria-label={t('ruleDesign.order')}
          addonBefore={t('ruleDesign.order')}
          value={draft.order}
          min={-1000}
          max={1000}
          onChange={(order) => set({ order: order ?? 0 })}
          style={{ width: 150 }}
        />
      </DraftHeader>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'design',
            label: t('ruleDesign.tab.design'),
            children: (
              <Flex vertical gap={12}>
                <TriggerCard
                  trigger={draft.trigger}
                  onChange={(trigger) => set({ trigger })}
                  catalogues={catalogues}
                  issues={issues}
                />
                <Card size="small" title={t('ruleDesign.when')} className="rule-design-section" data-section="when">
                  <p className="rule-design-hint">{t('ruleDesign.whenHint')}</p>
                  <ExpressionInput
                    id="rule-when"
                    label={t('ruleDesign.when')}
                    value={draft.when}
                    onChange={(when) => set({ when })}
                    scope={scope}
                    expect="boolean"
                    optional
                    issues={issuesUnder(issues, ['when'])}
                  />
                </Card>
                <Card
                  size="small"
                  title={t('ruleDesign.actions')}
                  className="rule-design-section"
                  data-section="actions"
                >
                  <ActionList
                    actions={draft.actions}
                    onChange={(actions) => set({ actions })}
                    prefix={['actions']}
                    idPrefix="action"
                    catalogues={catalogues}
                    scope={scope}
                    issues={issues}
                  />
                  <DraftIssues issues={issuesAt(issues, ['actions'])} />
                </Card>
                <Card
                  size="small"
                  title={t('ruleDesign.compensate')}
                  className="rule-design-section"
                  data-section="compensate"
                  extra={
                    <Switch
                      aria-label={t('ruleDesign.compensate')}
                      checked={draft.compensate !== null}
                      disabled={compensations.length === 0}
                      onChange={(on) => set({ compensate: on ? { on: [], undo: true, actions: [] } : null })}
                    />
                  }
                >
                  <p className="rule-design-hint">{t('ruleDesign.compensateHint')}</p>
                  {draft.compensate && (
                    <CompensationEditor
                      value={draft.compensate}
                      onChange={(compensate) => set({ compensate })}
                      events={compensations}
                      catalogues={catalogues}
                      scope={scope}
                      issues={issues}
                    />
                  )}
                </Card>
              </Flex>
            ),
          },
          {
            key: 'versions',
            label: t('ruleDesign.tab.versions'),
            children: (
              <VersionTable
                kind="rule"
                versions={versions}
                more={{
                  afterVersion: [
                    {
                      key: 'enabled',
                      title: t('ruleDesign.enabled'),
                      render: (_, v) => (v.enabled ? t('ruleDesign.on') : t('ruleDesign.off')),
                    },
                  ],
                }}
                onLoad={(version) => {
                  setDraft(ruleIn(version.definition, registry));
                  setTab('design');
                  message.info(t('ruleDesign.versionLoaded', { version: version.version }));
                }}
              />
            ),
          },
        ]}
      />
    </Flex>
  );
}

function CompensationEditor({
  value,
  onChange,
  events,
  catalogues,
  scope,
  issues,
}: {
  value: Compensation;
  onChange: (value: Compensation) => void;
  events: string[];
  catalogues: Catalogues;
  scope: ExprScope;
  issues: readonly Issue[] | null;
}) {
  const t = useT();
  return (
    <Flex vertical gap={12}>
      <div className="rule-setting">
        <span className="rule-setting-label-text" id="rule-compensate-on">
          {t('ruleDesign.compensateOn')}
        </span>
        <div className="rule-setting-control">
          <Checkbox.Group
            aria-labelledby="rule-compensate-on"
            value={value.on}
            onChange={(on) => onChange({ ...value, on: on.map(String) })}
            options={events.map((event) => ({ value: event, label: eventLabel(t, event) }))}
          />
          <DraftIssues issues={issuesUnder(issues, ['compensate', 'on'])} />
        </div>
      </div>
      <Flex gap={6} align="center">
        <Switch
          id="rule-compensate-undo"
          checked={value.undo}
          onChange={(undo) => onChange({ ...value, undo })}
          aria-label={t('ruleDesign.compensateUndo')}
        />
        <label htmlFor="rule-compensate-undo">{t('ruleDesign.compensateUndo')}</label>
      </Flex>
      <ActionList
        actions={value.actions}
        onChange={(actions) => onChange({ ...value, actions })}
        prefix={['compensate', 'actions']}
        idPrefix="compensate-action"
        catalogues={catalogues}
        scope={scope}
        issues={issues}
      />
      <DraftIssues issues={issuesAt(issues, ['compensate'])} />
    </Flex>
  );
}

/** 业务规则 for one rule: /admin/rules/new or /admin/rules/:pack/:key (its latest version). */
export function RuleDesignerPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const params = useParams();
  const existing = params.pack && params.key ? { pack: params.pack, key: params.key } : null;
  useDocumentTitle(t('ruleDesign.title'));
  const loaded = useLoad(async () => {
    const [registry, forms, flows, rules, versions] = await Promise.all([
      ruleDesignApi.registry(),
      formsApi.list(),
      flowsApi.list(),
      ruleDesignApi.list(),
      existing ? ruleDesignApi.versions(existing.pack, existing.key) : Promise.resolve([]),
    ]);
    return { catalogues: { registry, forms, flows }, rules, versions };
  }, `${existing?.pack}.${existing?.key}`);

  if (loaded.error) return <Result status="warning" title={describeApiError(loaded.error, t).detail} />;
  if (!loaded.data) return <Skeleton active />;
  const { catalogues, versions, rules } = loaded.data;
  const latest = versions[0];
  const initial = latest ? ruleIn(latest.definition, catalogues.registry) : newRule();
  const title = latest ? pickLabel(initial.name, locale) : t('ruleDesign.new');
  return (
    <>
      <PageHeader
        title={latest ? t('ruleDesign.pageTitle', { name: title }) : title}
        description={latest ? `${initial.pack}.${initial.key} · v${latest.version}` : t('ruleDesign.newHint')}
      />
      <RuleEditor
        key={latest ? `${latest.version}` : 'new'}
        initial={initial}
        isNew={!latest}
        catalogues={catalogues}
        versions={versions}
        taken={new Set(rules.map((rule) => `${rule.pack}.${rule.key}`))}
        onPublished={(draft) => {
          if (!latest) navigate(`/admin/rules/${encodeURIComponent(draft.pack)}/${encodeURIComponent(draft.key)}`);
          else loaded.reload();
        }}
      />
    </>
  );
}
