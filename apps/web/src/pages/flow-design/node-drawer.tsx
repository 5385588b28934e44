import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Radio,
  Select,
  Switch,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { orgApi, type Post } from '../../api/org.ts';
import { type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { operators, parseRules, printRules, type Rule } from './condition.ts';
import type { FlowRegistries } from './flow-design-api.ts';
import type { Issue, Label, TaskNode } from './tree-model.ts';

type Spec = { source: string; [option: string]: unknown };
type Options = Record<string, unknown>;

function LabelInputs({ value, onChange }: { value: Label | undefined; onChange: (label: Label) => void }) {
  const t = useT();
  const label = value ?? { zh: '', en: '' };
  return (
    <Flex gap={8}>
      <Input
        aria-label={t('flowDesign.nameZh')}
        addonBefore="中"
        value={label.zh}
        onChange={(e) => onChange({ ...label, zh: e.target.value })}
      />
      <Input
        aria-label={t('flowDesign.nameEn')}
        addonBefore="EN"
        value={label.en}
        onChange={(e) => onChange({ ...label, en: e.target.value })}
      />
    </Flex>
  );
}

function MembersSelect({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = async (text: string) => {
    const page = await orgApi.members({ search: text.trim() || undefined, limit: 20 }).catch(() => null);
    setOptions((page?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.login}）` })));
  };
  return (
    <Select
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={search}
      onFocus={() => search('')}
      options={options}
      value={value}
      onChange={onChange}
      placeholder={t('flowDesign.source.members.placeholder')}
      style={{ minWidth: 240 }}
      aria-label={t('flowDesign.source.members')}
    />
  );
}

function fieldOptions(form: FormDefinition, locale: string, types?: string[]) {
  return form.fields
    .filter((field) => !types || types.includes(field.type))
    .map((field) => ({ value: field.key, label: `${pickLabel(field.label, locale)} (${field.key})` }));
}

/** The options of one assignee source; a source the web does not know is edited as JSON. */
function SourceOptions({
  spec,
  form,
  posts,
  onChange,
}: {
  spec: Spec;
  form: FormDefinition;
  posts: Post[];
  onChange: (spec: Spec) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const set = (patch: Options) => onChange({ ...spec, ...patch });
  switch (spec.source) {
    case 'members':
      return <MembersSelect value={(spec.ids as string[]) ?? []} onChange={(ids) => set({ ids })} />;
    case 'role':
      return (
        <Flex gap={8} wrap>
          <Input
            aria-label={t('flowDesign.source.role.code')}
            placeholder="hrDirector"
            value={String(spec.role ?? '')}
            onChange={(e) => set({ role: e.target.value })}
            style={{ width: 180 }}
          />
          <Select
            aria-label={t('flowDesign.source.scope')}
            value={(spec.scope as string) ?? 'initiator'}
            onChange={(scope) => set({ scope })}
            options={[
              { value: 'initiator', label: t('flowDesign.source.scope.initiator') },
              { value: 'all', label: t('flowDesign.source.scope.all') },
            ]}
            style={{ width: 200 }}
          />
        </Flex>
      );
    case 'post':
      return (
        <Flex gap={8} wrap>
          <Select
            aria-label={t('flowDesign.source.post')}
            value={(spec.postId as string) || undefined}
            onChange={(postId) => set({ postId })}
            options={posts.map((post) => ({ value: post.id, label: post.name }))}
            style={{ width: 180 }}
          />
          <Select
            aria-label={t('flowDesign.source.scope')}
            value={(spec.scope as string) ?? 'all'}
            onChange={(scope) => set({ scope })}
            options={[
              { value: 'all', label: t('flowDesign.source.scope.all') },
              { value: 'initiatorUnit', label: t('flowDesign.source.scope.initiatorUnit') },
            ]}
            style={{ width: 200 }}
          />
        </Flex>
      );
    case 'relative': {
      const relation = (spec.relation as string) ?? 'head';
      return (
        <Flex gap={8} wrap>
          <Select
            aria-label={t('flowDesign.source.relation')}
            value={relation}
            onChange={(next) => {
              const extra: Options =
                next === 'nthSupervisor'
                  ? { n: 2 }
                  : next === 'supervisorsUpToLevel'
                    ? { level: 1 }
                    : next === 'headOfDepartmentField'
                      ? { field: '' }
                      : {};
              onChange({ source: 'relative', relation: next, ...extra });
            }}
            options={['head', 'nthSupervisor', 'supervisorsUpToLevel', 'divisionLeader', 'headOfDepartmentField'].map(
              (value) => ({ value, label: t(`flowDesign.relation.${value}` as MessageKey) }),
            )}
            style={{ width: 220 }}
          />
          {relation === 'nthSupervisor' && (
            <InputNumber min={1} max={20} value={spec.n as number} onChange={(n) => set({ n: n ?? 1 })} />
          )}
          {relation === 'supervisorsUpToLevel' && (
            <InputNumber
              min={0}
              max={1000}
              value={spec.level as number}
              onChange={(level) => set({ level: level ?? 0 })}
            />
          )}
          {relation === 'headOfDepartmentField' && (
            <Select
              value={(spec.field as string) || undefined}
              onChange={(field) => set({ field })}
              options={fieldOptions(form, locale, ['department'])}
              style={{ width: 200 }}
            />
          )}
        </Flex>
      );
    }
    case 'memberField':
      return (
        <Select
          aria-label={t('flowDesign.source.field')}
          value={(spec.field as string) || undefined}
          onChange={(field) => set({ field })}
          options={fieldOptions(form, locale, ['member', 'members'])}
          style={{ width: 240 }}
        />
      );
    case 'departmentField':
      return (
        <Flex gap={8}>
          <Select
            aria-label={t('flowDesign.source.field')}
            value={(spec.field as string) || undefined}
            onChange={(field) => set({ field })}
            options={fieldOptions(form, locale, ['department', 'departments'])}
            style={{ width: 200 }}
          />
          <Select
            value={(spec.take as string) ?? 'head'}
            onChange={(take) => set({ take })}
            options={[
              { value: 'head', label: t('flowDesign.source.take.head') },
              { value: 'members', label: t('flowDesign.source.take.members') },
            ]}
            style={{ width: 160 }}
          />
        </Flex>
      );
    case 'chosenByInitiator':
    case 'chosenByPrevious':
      return <Typography.Text type="secondary">{t('flowDesign.source.chosenHint')}</Typography.Text>;
    default:
      return (
        <Input.TextArea
          aria-label={t('flowDesign.source.json')}
          defaultValue={JSON.stringify(spec)}
          onBlur={(e) => {
            try {
              onChange(JSON.parse(e.target.value) as Spec);
            } catch {
              // Left as typed: the server's validation names the problem.
            }
          }}
        />
      );
  }
}

const starterSpec = (source: string): Spec =>
  source === 'members'
    ? { source, ids: [] }
    : source === 'role'
      ? { source, role: '', scope: 'initiator' }
      : source === 'post'
        ? { source, postId: '', scope: 'all' }
        : source === 'relative'
          ? { source, relation: 'head' }
          : source === 'memberField' || source === 'departmentField'
            ? { source, field: '' }
            : { source };

function Assignees({
  options,
  set,
  form,
  registries,
}: {
  options: Options;
  set: (patch: Options) => void;
  form: FormDefinition;
  registries: FlowRegistries | undefined;
}) {
  const t = useT();
  const [posts, setPosts] = useState<Post[]>([]);
  useEffect(() => {
    orgApi
      .posts()
      .then(setPosts)
      .catch(() => setPosts([]));
  }, []);
  const specs = (options.assignees as Spec[] | undefined) ?? [];
  const sources = registries?.assigneeSources.map((entry) => entry.source) ?? [];
  const update = (index: number, spec: Spec) => set({ assignees: specs.map((s, i) => (i === index ? spec : s)) });
  return (
    <Flex vertical gap={8} className="flow-design-assignees">
      {specs.map((spec, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: sources have no identity but their position
        <Card size="small" key={`${index}-${spec.source}`} data-testid={`assignee-${index}`}>
          <Flex gap={8} align="start" wrap>
            <Select
              aria-label={t('flowDesign.source')}
              value={spec.source}
              onChange={(source) => update(index, starterSpec(source))}
              options={sources.map((source) => ({
                value: source,
                label: t(`flowDesign.source.${source}` as MessageKey) || source,
              }))}
              style={{ width: 180 }}
            />
            <SourceOptions spec={spec} form={form} posts={posts} onChange={(next) => update(index, next)} />
            <Button
              aria-label={t('flowDesign.remove')}
              icon={<DeleteOutlined aria-hidden />}
              onClick={() => set({ assignees: specs.filter((_, i) => i !== index) })}
            />
          </Flex>
        </Card>
      ))}
      <Button
        icon={<PlusOutlined aria-hidden />}
        onClick={() => set({ assignees: [...specs, starterSpec('relative')] })}
        disabled={sources.length === 0}
      >
        {t('flowDesign.addAssignee')}
      </Button>
    </Flex>
  );
}

const LEVELS = ['hidden', 'read', 'edit', 'required'] as const;

/** hidden / read / edit / required per field and subtable of the form; unset follows the node's default. */
function FieldMatrix({
  options,
  set,
  form,
}: {
  options: Options;
  set: (patch: Options) => void;
  form: FormDefinition;
}) {
  const t = useT();
  const locale = useLocale();
  const access = (options.fieldAccess as Record<string, string> | undefined) ?? {};
  const rows = [
    ...form.fields.map((field) => ({ key: field.key, label: pickLabel(field.label, locale) })),
    ...(form.subtables ?? []).map((sub) => ({ key: sub.key, label: pickLabel(sub.label, locale) })),
  ];
  const choose = (key: string, level: string) => {
    const next = { ...access };
    if (level === '') delete next[key];
    else next[key] = level;
    set({ fieldAccess: next });
  };
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      className="flow-design-matrix"
      columns={[
        { key: 'field', title: t('flowDesign.matrix.field'), render: (_, row) => row.label },
        {
          key: 'level',
          title: t('flowDesign.matrix.access'),
          render: (_, row) => (
            <Radio.Group
              size="small"
              optionType="button"
              aria-label={row.label}
              value={access[row.key] ?? ''}
              onChange={(e) => choose(row.key, e.target.value)}
              options={[
                { value: '', label: t('flowDesign.matrix.default') },
                ...LEVELS.map((level) => ({ value: level, label: t(`flowDesign.matrix.${level}` as MessageKey) })),
              ]}
            />
          ),
        },
      ]}
    />
  );
}

type Duration = { days?: number; hours?: number; minutes?: number };
const durationParts = (d: Duration | undefined): [number | null, keyof Duration] => {
  if (!d) return [null, 'days'];
  for (const unit of ['days', 'hours', 'minutes'] as const) if (d[unit] !== undefined) return [d[unit] ?? null, unit];
  return [null, 'days'];
};

function DurationInput({
  value,
  onChange,
  units,
  label,
}: {
  value: Duration | undefined;
  onChange: (d: Duration | undefined) => void;
  units: (keyof Duration)[];
  label: string;
}) {
  const t = useT();
  const [amount, unit] = durationParts(value);
  return (
    <Flex gap={8}>
      <InputNumber
        aria-label={label}
        min={1}
        value={amount}
        onChange={(n) => onChange(n ? { [unit]: n } : undefined)}
      />
      <Select
        value={unit}
        onChange={(next) => onChange(amount ? { [next]: amount } : undefined)}
        options={units.map((u) => ({ value: u, label: t(`flowDesign.unit.${u}` as MessageKey) }))}
        style={{ width: 100 }}
      />
    </Flex>
  );
}

/** The node's deadline: after, calendar, reminder, what happens when it passes. */
function Deadline({ options, set }: { options: Options; set: (patch: Options) => void }) {
  const t = useT();
  const deadline = options.deadline as
    | { after?: Duration; calendar?: string; remindBefore?: Duration; overdue?: string; transferTo?: Spec }
    | undefined;
  const change = (patch: Options) => {
    const next: Options = { ...deadline, ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    set({ deadline: next });
  };
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} align="center">
        <Switch
          aria-label={t('flowDesign.deadline.enabled')}
          checked={!!deadline}
          onChange={(on) => set({ deadline: on ? { after: { days: 2 } } : undefined })}
        />
        {t('flowDesign.deadline.enabled')}
      </Flex>
      {deadline && (
        <>
          <div className="flow-design-field">
            {t('flowDesign.deadline.after')}
            <DurationInput
              label={t('flowDesign.deadline.after')}
              value={deadline.after}
              onChange={(after) => change({ after: after ?? { days: 1 } })}
              units={['days', 'hours', 'minutes']}
            />
          </div>
          <Radio.Group
            value={deadline.calendar ?? 'business'}
            onChange={(e) => change({ calendar: e.target.value })}
            options={[
              { value: 'business', label: t('flowDesign.deadline.business') },
              { value: 'natural', label: t('flowDesign.deadline.natural') },
            ]}
          />
          <div className="flow-design-field">
            {t('flowDesign.deadline.remindBefore')}
            <DurationInput
              label={t('flowDesign.deadline.remindBefore')}
              value={deadline.remindBefore}
              onChange={(remindBefore) => change({ remindBefore })}
              units={['hours', 'minutes']}
            />
          </div>
          <div className="flow-design-field">
            {t('flowDesign.deadline.overdue')}
            <Select
              aria-label={t('flowDesign.deadline.overdue')}
              value={deadline.overdue ?? 'notify'}
              onChange={(overdue) =>
                change({
                  overdue,
                  transferTo:
                    overdue === 'transfer' ? (deadline.transferTo ?? { source: 'members', ids: [] }) : undefined,
                })
              }
              options={['notify', 'autoApprove', 'transfer', 'escalate'].map((value) => ({
                value,
                label: t(`flowDesign.overdue.${value}` as MessageKey),
              }))}
              style={{ width: '100%' }}
            />
          </div>
          {deadline.overdue === 'transfer' && (
            <MembersSelect
              value={(deadline.transferTo?.ids as string[]) ?? []}
              onChange={(ids) => change({ transferTo: { source: 'members', ids } })}
            />
          )}
        </>
      )}
    </Flex>
  );
}

function Approval({ options, set }: { options: Options; set: (patch: Options) => void }) {
  const t = useT();
  const mode = (options.mode as string) ?? 'single';
  return (
    <Flex vertical gap={12}>
      <div className="flow-design-field">
        {t('flowDesign.mode')}
        <Radio.Group
          aria-label={t('flowDesign.mode')}
          value={mode}
          onChange={(e) => set({ mode: e.target.value, ratio: undefined })}
          options={['single', 'sequential', 'countersign', 'anySign'].map((value) => ({
            value,
            label: t(`flowDesign.mode.${value}` as MessageKey),
          }))}
        />
      </div>
      {mode === 'countersign' && (
        <div className="flow-design-field">
          {t('flowDesign.ratio')}
          <InputNumber
            aria-label={t('flowDesign.ratio')}
            min={1}
            max={100}
            addonAfter="%"
            value={options.ratio === undefined ? 100 : Math.round((options.ratio as number) * 100)}
            onChange={(n) => set({ ratio: !n || n >= 100 ? undefined : n / 100 })}
          />
        </div>
      )}
      <div className="flow-design-field">
        {t('flowDesign.emptyPolicy')}
        <Select
          aria-label={t('flowDesign.emptyPolicy')}
          value={(options.emptyPolicy as string) ?? 'refuse'}
          onChange={(emptyPolicy) => set({ emptyPolicy })}
          options={['refuse', 'autoPass', 'administrator'].map((value) => ({
            value,
            label: t(`flowDesign.emptyPolicy.${value}` as MessageKey),
          }))}
          style={{ width: '100%' }}
        />
      </div>
      <div className="flow-design-field">
        {t('flowDesign.dedupe')}
        <Select
          aria-label={t('flowDesign.dedupe')}
          value={(options.dedupe as string) ?? 'none'}
          onChange={(dedupe) => set({ dedupe })}
          options={['none', 'previous', 'anyEarlier'].map((value) => ({
            value,
            label: t(`flowDesign.dedupe.${value}` as MessageKey),
          }))}
          style={{ width: '100%' }}
        />
      </div>
      <Flex gap={8} align="center">
        <Switch
          aria-label={t('flowDesign.initiatorAutoPass')}
          checked={!!options.initiatorAutoPass}
          onChange={(initiatorAutoPass) => set({ initiatorAutoPass })}
        />
        {t('flowDesign.initiatorAutoPass')}
      </Flex>
    </Flex>
  );
}

export function IssueList({ issues }: { issues: Issue[] | undefined }) {
  if (!issues?.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      message={
        <ul className="flow-design-issues">
          {issues.map((issue) => (
            <li key={`${issue.path.join('.')}:${issue.code}`}>
              <code>{issue.path.join('.')}</code> {issue.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** The settings of a card: name, then by kind the assignees, approval rules, field permissions and deadline. */
export function NodeDrawer({
  node,
  form,
  registries,
  issues,
  readOnly,
  onChange,
  onClose,
}: {
  node: TaskNode;
  form: FormDefinition;
  registries: FlowRegistries | undefined;
  issues: Issue[] | undefined;
  readOnly: boolean;
  onChange: (node: TaskNode) => void;
  onClose: () => void;
}) {
  const t = useT();
  const set = (patch: Options) => {
    const options: Options = { ...node.options, ...patch };
    for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
    onChange({ ...node, options });
  };
  const tabs = [];
  if (node.kind === 'approval' || node.kind === 'notify') {
    tabs.push({
      key: 'assignees',
      label: t(node.kind === 'notify' ? 'flowDesign.tab.notify' : 'flowDesign.tab.assignees'),
      children: (
        <Flex vertical gap={16}>
          <Assignees options={node.options} set={set} form={form} registries={registries} />
          {node.kind === 'approval' && <Approval options={node.options} set={set} />}
        </Flex>
      ),
    });
  }
  if (node.kind === 'approval' || node.kind === 'notify' || node.kind === 'start') {
    tabs.push({
      key: 'fields',
      label: t('flowDesign.tab.fields'),
      children: <FieldMatrix options={node.options} set={set} form={form} />,
    });
  }
  if (node.kind === 'approval') {
    tabs.push({
      key: 'deadline',
      label: t('flowDesign.tab.deadline'),
      children: <Deadline options={node.options} set={set} />,
    });
  }
  return (
    <Drawer
      open
      width={640}
      title={node.name ? `${node.name.zh}` : node.key}
      onClose={onClose}
      className="flow-design-drawer"
      destroyOnHidden
    >
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Flex vertical gap={12}>
          <IssueList issues={issues} />
          <LabelInputs value={node.name} onChange={(name) => onChange({ ...node, name })} />
          {tabs.length > 0 ? <Tabs items={tabs} /> : <Typography.Text type="secondary">{node.kind}</Typography.Text>}
        </Flex>
      </fieldset>
    </Drawer>
  );
}

/** A condition branch: rules (field, operator, value, all must hold) or a raw expression. */
export function BranchDrawer({
  title,
  condition,
  form,
  issues,
  readOnly,
  onChange,
  onClose,
}: {
  title: string;
  condition: string;
  form: FormDefinition;
  issues: Issue[] | undefined;
  readOnly: boolean;
  onChange: (condition: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const parsed = parseRules(condition);
  const [raw, setRaw] = useState(parsed === null);
  const [rules, setRules] = useState<Rule[]>(
    parsed && parsed.length > 0 ? parsed : [{ field: '', op: '>', value: '' }],
  );
  const fields = [
    ...fieldOptions(form, locale),
    { value: '$initiator.departmentId', label: t('flowDesign.context.department') },
    { value: '$initiator.postId', label: t('flowDesign.context.post') },
    { value: '$initiator.levelRank', label: t('flowDesign.context.level') },
  ];
  const commit = (next: Rule[]) => {
    setRules(next);
    onChange(printRules(next));
  };
  return (
    <Drawer open width={640} title={title} onClose={onClose} className="flow-design-drawer" destroyOnHidden>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Flex vertical gap={12}>
          <IssueList issues={issues} />
          <Radio.Group
            optionType="button"
            value={raw ? 'raw' : 'builder'}
            onChange={(e) => {
              const toRaw = e.target.value === 'raw';
              if (!toRaw) {
                const again = parseRules(condition);
                if (again === null) return;
                setRules(again.length > 0 ? again : [{ field: '', op: '>', value: '' }]);
              }
              setRaw(toRaw);
            }}
            options={[
              { value: 'builder', label: t('flowDesign.condition.builder'), disabled: parseRules(condition) === null },
              { value: 'raw', label: t('flowDesign.condition.raw') },
            ]}
          />
          {raw ? (
            <Input.TextArea
              aria-label={t('flowDesign.condition.expression')}
              value={condition}
              onChange={(e) => onChange(e.target.value)}
              autoSize={{ minRows: 3 }}
              style={{ fontFamily: 'monospace' }}
            />
          ) : (
            <>
              <Typography.Text type="secondary">{t('flowDesign.condition.allHold')}</Typography.Text>
              {rules.map((rule, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity but their position
                <Flex gap={8} key={`${index}-${rule.field}`} data-testid={`rule-${index}`}>
                  <Select
                    aria-label={t('flowDesign.condition.field')}
                    value={rule.field || undefined}
                    onChange={(field) => commit(rules.map((r, i) => (i === index ? { ...r, field } : r)))}
                    options={fields}
                    style={{ width: 220 }}
                    showSearch
                  />
                  <Select
                    aria-label={t('flowDesign.condition.operator')}
                    value={rule.op}
                    onChange={(op) => commit(rules.map((r, i) => (i === index ? { ...r, op } : r)))}
                    options={operators.map((op) => ({ value: op, label: op }))}
                    style={{ width: 80 }}
                  />
                  <Input
                    aria-label={t('flowDesign.condition.value')}
                    value={rule.value}
                    onChange={(e) => commit(rules.map((r, i) => (i === index ? { ...r, value: e.target.value } : r)))}
                  />
                  <Button
                    aria-label={t('flowDesign.remove')}
                    icon={<DeleteOutlined aria-hidden />}
                    onClick={() => commit(rules.filter((_, i) => i !== index))}
                  />
                </Flex>
              ))}
              <Button
                icon={<PlusOutlined aria-hidden />}
                onClick={() => setRules([...rules, { field: '', op: '=', value: '' }])}
              >
                {t('flowDesign.condition.addRule')}
              </Button>
              <Typography.Text code>{printRules(rules) || '—'}</Typography.Text>
            </>
          )}
        </Flex>
      </fieldset>
    </Drawer>
  );
}
