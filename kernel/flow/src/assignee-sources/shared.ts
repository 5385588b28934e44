import type { CheckContext } from '../node-kinds/define.ts';

export const idList = (value: unknown): string[] => {
  if (typeof value === 'string' && value) return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item.length > 0);
  return [];
};

const typeNames: Readonly<Record<string, string>> = {
  member: '人员',
  members: '多人员',
  department: '部门',
  departments: '多部门',
};

/** The field exists on the form and its type is one of `types`. */
export function checkFieldType(field: string, types: readonly string[], context: CheckContext, at: string): void {
  const form = context.form;
  if (!form) return;
  const info = form.fieldTypes.get(field);
  if (!info) context.add([...context.path, at], 'unknown_field', { field });
  else if (!types.includes(info.type)) {
    context.add([...context.path, at], 'bad_field_type', {
      field,
      types: types.join(' or '),
      typesZh: types.map((type) => typeNames[type] ?? type).join('或'),
    });
  }
}
