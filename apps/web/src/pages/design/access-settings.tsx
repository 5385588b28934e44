import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { orgAdminApi, type Role } from '../../api/org-admin.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import {
  type AccessLevel,
  addRule,
  type Draft,
  type DraftAccessRule,
  MAX_SUPERVISOR_LEVELS,
  removeRule,
  setAssignees,
  setSupervisorLevels,
  stepRule,
  updateRule,
} from './draft.ts';
import { type DesignIssue, issuesUnder, issueText } from './issues.ts';
import type { DraftChange } from './property-panel.tsx';
import { Prop } from './setting-editors.tsx';

// The form-level access settings of kernel/form (ADR 0004, amendment): which member fields assign a record
// (`assignedTo`) and the field permissions per role (`fieldAccess`). The server's issues arrive on the form with
// paths such as `fieldAccess.2.role`; the draft keeps one entry per entry, so the index is the row.

const levelKeys: Readonly<Record<AccessLevel, MessageKey>> = {
  hidden: 'design.access.hidden',
  read: 'design.access.read',
  edit: 'design.access.edit',
};
const EVERYONE = '';

function texts(list: readonly DesignIssue[], t: Translate): string[] {
  return [...new Set(list.map((issue) => issueText(issue, t)))];
}

/** The org's roles (the role administration's list), loaded once per opening of the form's properties. */
function useRoles(): { roles: Role[]; failed: boolean } {
  const [state, setState] = useState<{ roles: Role[]; failed: boolean }>({ roles: [], failed: false });
  useEffect(() => {
    let alive = true;
    orgAdminApi.roles().then(
      (roles) => alive && setState({ roles, failed: false }),
      () => alive && setState({ roles: [], failed: true }),
    );
    return () => {
      alive = false;
    };
  }, []);
  return state;
}

export function AssignedToEditor({
  draft,
  change,
  issues,
}: {
  draft: Draft;
  change: DraftChange;
  issues: readonly DesignIssue[];
}) {
  const t = useT();
  const locale = useLocale();
  const { assignees, supervisorLevels } = draft.access;
  // Only member fields can assign; one already chosen stays listed so an issue about it can be read and fixed.
  const options = draft.fields
    .filter((field) => field.def.type === 'member' || assignees.includes(field.uid))
    .map((field) => ({
      value: field.uid,
      label: `${pickLabel(field.def.label, locale)} (${field.def.key})`,
    }));
  const none = assignees.length === 0;
  return (
    <fieldset className="design-access" data-access="assignedTo">
      <legend className="design-access-legend">{t('design.access.assignedTitle')}</legend>
      <Prop
        id="prop-assigned-fields"
        label={t('design.access.assignedFields')}
        issues={texts(issuesUnder(issues, ['assignedTo', 'fields']), t)}
        help={options.length === 0 ? t('design.access.noMemberFields') : t('design.access.assignedHelp')}
      >
        <Select
          id="prop-assigned-fields"
          mode="multiple"
          size="small"
          className="design-select"
          value={assignees}
          options={options}
          disabled={options.length === 0}
          placeholder={t('design.access.assignedNone')}
          optionFilterProp="label"
          onChange={(next: string[]) => change((d) => setAssignees(d, next))}
        />
      </Prop>
      <Prop
        id="prop-supervisor-levels"
        label={t('design.access.supervisorLevels')}
        issues={texts(issuesUnder(issues, ['assignedTo', 'supervisorLevels']), t)}
        help={none ? t('design.access.supervisorNeedsFields') : t('design.access.supervisorHelp')}
      >
        <Select
          id="prop-supervisor-levels"
          size="small"
          className="design-select"
          value={supervisorLevels}
          disabled={none}
          options={Array.from({ length: MAX_SUPERVISOR_LEVELS + 1 }, (_, n) => ({
            value: n,
            label: n === 0 ? t('design.access.noSupervisors') : t('design.access.levels', { n }),
          }))}
          onChange={(n: number) => change((d) => setSupervisorLevels(d, n))}
        />
      </Prop>
      {texts(
        issues.filter(
          (issue) => issue.rest[0] === 'assignedTo' && !['fields', 'supervisorLevels'].includes(String(issue.rest[1])),
        ),
        t,
      ).map((text) => (
        <div key={text} className="design-prop-error" role="alert">
          {text}
        </div>
      ))}
    </fieldset>
  );
}

export function FieldAccessEditor({
  draft,
  change,
  issues,
}: {
  draft: Draft;
  change: DraftChange;
  issues: readonly DesignIssue[];
}) {
  const t = useT();
  const locale = useLocale();
  const { roles, failed } = useRoles();
  const rules = draft.access.rules;
  const fieldOptions = [
    { value: '*', label: t('design.access.wholeForm') },
    ...draft.fields.map((field) => ({
      value: field.uid,
      label: `${pickLabel(field.def.label, locale)} (${field.def.key})`,
    })),
    ...draft.subtables.map((sub) => ({
      value: sub.uid,
      label: t('design.access.wholeSubtable', { name: pickLabel(sub.def.label, locale), key: sub.def.key }),
    })),
  ];
  const roleName = (role: Role) => (locale === 'en-US' && role.nameEn ? role.nameEn : role.name);
  const known = new Set(roles.map((role) => role.code));
  const roleOptions = (current: string | undefined) => [
    { value: EVERYONE, label: t('design.access.everyone') },
    ...roles
      .filter((role) => role.enabled || role.code === current)
      .map((role) => ({ value: role.code, label: `${roleName(role)} (${role.code})` })),
    // A rule shipped by a pack may name a role this org has not created (yet): it is kept and shown as its code.
    ...(current && !known.has(current) ? [{ value: current, label: current }] : []),
  ];
  const set = (id: string, patch: (rule: DraftAccessRule) => DraftAccessRule) =>
    change((d) => updateRule(d, id, patch));
  const tableIssues = issues.filter((issue) => issue.rest[0] === 'fieldAccess' && typeof issue.rest[1] !== 'number');
  return (
    <fieldset className="design-access" data-access="fieldAccess">
      <legend className="design-access-legend">{t('design.access.rulesTitle')}</legend>
      <p className="design-prop-help">{t('design.access.rulesHelp')}</p>
      {failed && <p className="design-prop-error">{t('design.access.rolesFailed')}</p>}
      <ol className="design-access-rules">
        {rules.map((rule, index) => {
          const n = index + 1;
          const at = (part: string) => texts(issuesUnder(issues, ['fieldAccess', index, part]), t);
          const rowIssues = [
            ...at('role'),
            ...at('field'),
            ...at('access'),
            ...texts(
              issuesUnder(issues, ['fieldAccess', index]).filter(
                (issue) => !['role', 'field', 'access'].includes(String(issue.rest[2])),
              ),
              t,
            ),
          ];
          return (
            <li
              key={rule.uid}
              className={`design-access-rule${rowIssues.length > 0 ? ' design-access-rule-invalid' : ''}`}
              data-rule={index}
            >
              <Select
                size="small"
                className="design-select"
                aria-label={t('design.access.ruleRole', { n })}
                value={rule.role ?? EVERYONE}
                options={roleOptions(rule.role)}
                showSearch={{ optionFilterProp: 'label' }}
                status={at('role').length > 0 ? 'error' : undefined}
                onChange={(role: string) =>
                  set(rule.uid, ({ role: _old, ...rest }) => (role === EVERYONE ? rest : { ...rest, role }))
                }
              />
              <Select
                size="small"
                className="design-select"
                aria-label={t('design.access.ruleField', { n })}
                value={rule.field}
                options={fieldOptions}
                showSearch={{ optionFilterProp: 'label' }}
                status={at('field').length > 0 ? 'error' : undefined}
                onChange={(field: string) => set(rule.uid, (r) => ({ ...r, field }))}
              />
              <div className="design-access-rule-tail">
                <Radio.Group
                  size="small"
                  optionType="button"
                  aria-label={t('design.access.ruleLevel', { n })}
                  value={rule.access}
                  options={(['hidden', 'read', 'edit'] as const).map((level) => ({
                    value: level,
                    label: t(levelKeys[level]),
                  }))}
                  onChange={(event) => set(rule.uid, (r) => ({ ...r, access: event.target.value as AccessLevel }))}
                />
                <span className="design-access-rule-actions">
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowUpOutlined aria-hidden />}
                    aria-label={t('design.access.ruleUp', { n })}
                    disabled={index === 0}
                    onClick={() => change((d) => stepRule(d, rule.uid, -1))}
                  />
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowDownOutlined aria-hidden />}
                    aria-label={t('design.access.ruleDown', { n })}
                    disabled={index === rules.length - 1}
                    onClick={() => change((d) => stepRule(d, rule.uid, 1))}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('design.access.ruleRemove', { n })}
                    onClick={() => change((d) => removeRule(d, rule.uid))}
                  />
                </span>
              </div>
              {[...new Set(rowIssues)].map((text) => (
                <div key={text} className="design-prop-error design-access-rule-issue" role="alert">
                  {text}
                </div>
              ))}
            </li>
          );
        })}
      </ol>
      {rules.length === 0 && <p className="design-prop-help">{t('design.access.noRules')}</p>}
      <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => change((d) => addRule(d).draft)}>
        {t('design.access.addRule')}
      </Button>
      {texts(tableIssues, t).map((text) => (
        <div key={text} className="design-prop-error" role="alert">
          {text}
        </div>
      ))}
    </fieldset>
  );
}
