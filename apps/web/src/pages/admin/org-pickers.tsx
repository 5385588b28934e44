// Pickers and helpers shared by the organisation administration pages: members by search, departments
// over the tree (under their units), units; and how a failed call becomes one line of text.
import { type FormInstance, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { type DepartmentNode, orgApi, type Unit } from '../../api/org.ts';
import { type MemberRecord, orgAdminApi } from '../../api/org-admin.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { type Translate, useT } from '../../i18n/index.ts';

export function errorText(error: unknown, t: Translate): string {
  const description = describeApiError(error, t);
  const fields = description.fields.map((field) => `${field.label}: ${field.message}`).join('; ');
  return [description.detail, fields].filter(Boolean).join(' — ');
}

/** Puts the server's field issues next to the inputs they concern; whatever is left becomes a message. */
export function showFieldErrors<Values>(
  error: unknown,
  form: FormInstance<Values>,
  names: ReadonlyArray<string>,
  fallback: (text: string) => void,
  t: Translate,
): void {
  const own = isApiError(error) ? error.fields.filter((field) => names.includes(String(field.path[0]))) : [];
  if (own.length > 0) {
    const fields = own.map((field) => ({ name: String(field.path[0]), errors: [field.message] }));
    form.setFields(fields as Parameters<FormInstance<Values>['setFields']>[0]);
  }
  if (own.length === 0 || (isApiError(error) && own.length < error.fields.length)) fallback(errorText(error, t));
}

export const blankToNull = (value: string | undefined | null): string | null => (value?.trim() ? value.trim() : null);

/** Units and the department tree, loaded once per page; names by id for showing scopes. */
export function useOrgStructure() {
  const [units, setUnits] = useState<Unit[]>([]);
  const [roots, setRoots] = useState<DepartmentNode[]>([]);
  useEffect(() => {
    orgApi.units().then(setUnits, () => setUnits([]));
    orgApi.tree().then(setRoots, () => setRoots([]));
  }, []);
  const departmentNames = useMemo(() => {
    const names = new Map<string, string>();
    const walk = (nodes: DepartmentNode[]) => {
      for (const node of nodes) {
        names.set(node.id, node.name);
        walk(node.children);
      }
    };
    walk(roots);
    return names;
  }, [roots]);
  const unitNames = useMemo(() => new Map(units.map((unit) => [unit.id, unit.name])), [units]);
  return { units, roots, departmentNames, unitNames };
}

/** The department with this id and its sub-tree, as a one-root forest (empty when unknown). */
export function subtreeOf(roots: DepartmentNode[], id: string | null | undefined): DepartmentNode[] {
  if (!id) return roots;
  for (const node of roots) {
    if (node.id === id) return [node];
    const inner = subtreeOf(node.children, id);
    if (inner.length > 0) return inner;
  }
  return [];
}

type TreeOption = { value: string; title: string; label: string; disabled?: boolean; children: TreeOption[] };

function toOptions(nodes: DepartmentNode[]): TreeOption[] {
  return nodes.map((node) => ({
    value: node.id,
    // Searching matches the name or the code.
    title: `${node.name} ${node.code}`,
    label: node.name,
    disabled: !node.enabled,
    children: toOptions(node.children),
  }));
}

/** A department chosen from the tree, searchable by name or code; `unitId` keeps to one unit. */
export function DepartmentPicker({
  id,
  roots,
  unitId,
  value,
  onChange,
  placeholder,
  allowClear = true,
  className,
}: {
  id?: string;
  roots: DepartmentNode[];
  unitId?: string | null;
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  className?: string;
}) {
  const t = useT();
  const treeData = useMemo(
    () => toOptions(unitId ? roots.filter((node) => node.unitId === unitId) : roots),
    [roots, unitId],
  );
  return (
    <TreeSelect
      id={id}
      className={className}
      style={{ width: '100%' }}
      treeData={treeData}
      value={value ?? undefined}
      onChange={(next) => onChange?.((next as string | undefined) ?? null)}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeNodeLabelProp="label"
      allowClear={allowClear}
      placeholder={placeholder ?? t('orgPick.department')}
      listHeight={320}
    />
  );
}

export function UnitPicker({
  id,
  units,
  value,
  onChange,
}: {
  id?: string;
  units: Unit[];
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const t = useT();
  return (
    <Select
      id={id}
      style={{ width: '100%' }}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear
      placeholder={t('orgPick.unit')}
      options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
    />
  );
}

const memberLabel = (member: Pick<MemberRecord, 'name' | 'code'>) => `${member.name}（${member.code}）`;

/**
 * A member chosen by typing part of a name, login or employee code (GET /api/org/members?search=).
 * `initial` names the current value so it shows before any search.
 */
export function MemberPicker({
  id,
  value,
  onChange,
  initial,
  exclude,
  placeholder,
  className,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  initial?: Pick<MemberRecord, 'id' | 'name' | 'code'> | null;
  exclude?: string;
  placeholder?: string;
  className?: string;
}) {
  const t = useT();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(0);

  function search(text: string) {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const ticket = ++latest.current;
      setLoading(true);
      orgAdminApi
        .searchMembers(text.trim())
        .then(
          (members) => {
            if (ticket !== latest.current) return;
            setOptions(
              members.filter((member) => member.id !== exclude).map((m) => ({ value: m.id, label: memberLabel(m) })),
            );
          },
          () => ticket === latest.current && setOptions([]),
        )
        .finally(() => ticket === latest.current && setLoading(false));
    }, 250);
  }

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const shown =
    initial && !options.some((option) => option.value === initial.id)
      ? [{ value: initial.id, label: memberLabel(initial) }, ...options]
      : options;

  return (
    <Select
      id={id}
      className={className}
      style={{ width: '100%' }}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      showSearch={{ filterOption: false, onSearch: search }}
      onOpenChange={(open) => open && options.length === 0 && search('')}
      allowClear
      loading={loading}
      placeholder={placeholder ?? t('orgPick.member')}
      notFoundContent={loading ? t('orgPick.searching') : t('orgPick.noMember')}
      options={shown}
    />
  );
}
