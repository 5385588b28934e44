import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { DepartmentNode } from '../../api/org.ts';
import type { WidgetProps } from '../define.ts';
import { asIds, departmentsOnce, flattenDepartments, ReadValue, useLoaded } from '../shared.tsx';

type TreeOption = { value: string; title: string; disabled?: boolean; children: TreeOption[] };

function toOptions(nodes: readonly DepartmentNode[]): TreeOption[] {
  return nodes.map((node) => ({
    value: node.id,
    title: node.name,
    disabled: !node.enabled,
    children: toOptions(node.children),
  }));
}

export function DepartmentNames({ value }: { value: unknown }) {
  const tree = useLoaded(departmentsOnce, 'departments', []);
  const names = useMemo(() => flattenDepartments(tree ?? []), [tree]);
  return (
    <ReadValue>
      {asIds(value)
        .map((id) => names.get(id) ?? (tree ? id : '…'))
        .join('、')}
    </ReadValue>
  );
}

/** The organisation's department tree (GET /api/org/departments/tree), searchable by name. */
export function DepartmentPicker({
  field,
  value,
  onChange,
  mode,
  id,
  invalid,
  ctx,
  multiple,
}: WidgetProps & { multiple: boolean }) {
  const tree = useLoaded(departmentsOnce, 'departments', []);
  const treeData = useMemo(() => toOptions(tree ?? []), [tree]);
  if (mode === 'read') return <DepartmentNames value={value} />;
  const ids = asIds(value);
  const max = typeof field.max === 'number' ? field.max : undefined;
  return (
    <TreeSelect
      id={id}
      className="field-select"
      treeData={treeData}
      loading={tree === undefined}
      multiple={multiple}
      maxCount={multiple ? max : undefined}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll={false}
      placeholder={ctx.t('fieldType.chooseDepartment')}
      value={multiple ? ids : ids[0]}
      onChange={(next: string | string[] | undefined) => {
        if (multiple) onChange(Array.isArray(next) && next.length ? next : null);
        else onChange(typeof next === 'string' ? next : null);
      }}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}
