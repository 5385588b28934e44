import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { type DepartmentNode, orgApi } from '../api/org.ts';
import { type FieldDefinition, type Label, pickLabel } from '../form-runtime/types.ts';

export type Option = { code: string; label: Label };

export function optionsOf(field: FieldDefinition): Option[] {
  return Array.isArray(field.options) ? (field.options as Option[]) : [];
}

export function numberConfig(field: FieldDefinition, name: string): number | undefined {
  const value = field[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A read-mode value; blank shows a dash that screen readers announce as empty. */
export function ReadValue({ children, className }: { children?: ReactNode; className?: string }) {
  const blank = children === null || children === undefined || children === '' || children === false;
  return (
    <span className={`field-read${className ? ` ${className}` : ''}`}>
      {blank ? <span className="field-read-blank">—</span> : children}
    </span>
  );
}

export function optionLabel(field: FieldDefinition, code: unknown, locale: string): string {
  const option = optionsOf(field).find((o) => o.code === code);
  return option ? pickLabel(option.label, locale) : String(code ?? '');
}

// ---- organisation lookups, fetched once per page load and shared by every widget ----

type Named = { id: string; name: string };
const memberNames = new Map<string, Promise<string>>();

export function memberName(id: string): Promise<string> {
  let found = memberNames.get(id);
  if (!found) {
    found = orgApi.member(id).then(
      (member) => member.name,
      () => id,
    );
    memberNames.set(id, found);
  }
  return found;
}

export function rememberMember(id: string, name: string): void {
  memberNames.set(id, Promise.resolve(name));
}

let departmentTree: Promise<DepartmentNode[]> | undefined;
export function departmentsOnce(): Promise<DepartmentNode[]> {
  departmentTree ??= orgApi.tree().catch((error) => {
    departmentTree = undefined;
    throw error;
  });
  return departmentTree;
}

let units: Promise<Named[]> | undefined;
export function unitsOnce(): Promise<Named[]> {
  units ??= orgApi.units().catch((error) => {
    units = undefined;
    throw error;
  });
  return units;
}

let posts: Promise<Named[]> | undefined;
export function postsOnce(): Promise<Named[]> {
  posts ??= orgApi.posts().catch((error) => {
    posts = undefined;
    throw error;
  });
  return posts;
}

export function flattenDepartments(nodes: readonly DepartmentNode[], into = new Map<string, string>()) {
  for (const node of nodes) {
    into.set(node.id, node.name);
    flattenDepartments(node.children, into);
  }
  return into;
}

/** Resolves a shared lookup into state; `name` identifies it (a new name loads again). */
export function useLoaded<T>(load: () => Promise<T>, name: string, fallback: T): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `name` stands for `load`; the fallback is constant
  useEffect(() => {
    let alive = true;
    load().then(
      (loaded) => alive && setValue(loaded),
      () => alive && setValue(fallback),
    );
    return () => {
      alive = false;
    };
  }, [name]);
  return value;
}

export function useMemberNames(ids: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const joined = ids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: joined stands for ids
  useEffect(() => {
    let alive = true;
    for (const id of ids) {
      void memberName(id).then((name) => alive && setNames((current) => ({ ...current, [id]: name })));
    }
    return () => {
      alive = false;
    };
  }, [joined]);
  return names;
}

export function asIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value ? [value] : [];
}
