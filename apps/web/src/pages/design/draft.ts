import type {
  FieldDefinition,
  FormDefinition,
  Label,
  LayoutCell,
  Section,
  SubtableDefinition,
} from '../../form-runtime/types.ts';

// The form designer's working copy of a definition. Fields, subtables and sections get designer-only ids (uid)
// so a key can change while the layout, the selection and the issues keep pointing at the same thing; the
// definition sent to the server is derived from it (toDefinition), with the map from the server's issue paths
// (`fields.3.key`) back to those ids. Everything here is pure: every change returns a new draft.

export type Uid = string;

export type DraftField = {
  uid: Uid;
  def: FieldDefinition;
  /** The key in the latest published version: a changed key is published with `renamedFrom`, keeping the column. */
  publishedKey?: string;
  /** The type in the latest published version: a change converts the stored values (previewed on publish). */
  publishedType?: string;
};

export type DraftSubtable = {
  uid: Uid;
  def: Omit<SubtableDefinition, 'columns'>;
  columns: DraftField[];
  publishedKey?: string;
};

/** A field or subtable placed in a section; items flow left to right in rows of 24 columns. */
export type DraftItem = {
  uid: Uid;
  span: number /** Starts a new row even when the previous one has room. */;
  newRow?: boolean;
};

export type DraftSection = { uid: Uid; key?: string; title?: Label; items: DraftItem[] };

export type Draft = {
  pack: string;
  key: string;
  kind: 'flow' | 'archive';
  label: Label;
  /** The latest published version, or 0 for a form never published (pack and key can still change). */
  version: number;
  fields: DraftField[];
  subtables: DraftSubtable[];
  sections: DraftSection[];
  /** Unique keys, kept as they are (renames and removals follow). */
  keys: string[][];
  /** Who else reaches a record and the field permissions (kernel/form `assignedTo` and `fieldAccess`). */
  access: DraftAccess;
  next: number;
};

export type AccessLevel = 'hidden' | 'read' | 'edit';

/** One field permission; `field` names a main field or subtable by uid (so renames follow), or `*`. */
export type DraftAccessRule = { uid: Uid; field: Uid | '*'; access: AccessLevel; role?: string };

/**
 * Kept by uid and in the order published, one entry per entry of the definition: a server issue at
 * `fieldAccess.2.field` or `assignedTo.fields.1` is the draft's rule or assignee at that index.
 */
export type DraftAccess = {
  /** `member` fields whose members reach a record (scope `assigned`); none = no `assignedTo`. */
  assignees: Uid[];
  /** How many levels of supervisors of the owner and the assignees read the record (0–5). */
  supervisorLevels: number;
  rules: DraftAccessRule[];
};

export const MAX_SUPERVISOR_LEVELS = 5;

/** What an issue path or a selection points at. */
export type Target =
  | { kind: 'form' }
  | { kind: 'section'; uid: Uid }
  | { kind: 'field'; uid: Uid }
  | { kind: 'subtable'; uid: Uid }
  | { kind: 'column'; sub: Uid; uid: Uid };

export const FULL = 24;

export function targetId(target: Target): string {
  return target.kind === 'form' ? 'form' : target.uid;
}

function uid(draft: Draft): [Uid, Draft] {
  return [`u${draft.next}`, { ...draft, next: draft.next + 1 }];
}

function clampSpan(span: number | undefined): number {
  if (span === undefined || !Number.isFinite(span)) return FULL;
  return Math.min(FULL, Math.max(1, Math.round(span)));
}

// ---- from and to definitions ----------------------------------------------------------------------------

export type SpanOf = (field: FieldDefinition) => number;

export function emptyDraft(label: Label, sectionTitle: Label): Draft {
  return {
    pack: 'custom',
    key: '',
    kind: 'flow',
    label,
    version: 0,
    fields: [],
    subtables: [],
    sections: [{ uid: 'u0', key: 'main', title: sectionTitle, items: [] }],
    keys: [],
    access: { assignees: [], supervisorLevels: 0, rules: [] },
    next: 1,
  };
}

/**
 * The draft of a published definition: its sections and rows as they are, then whatever the layout leaves out
 * in a last section (as the runtime draws it), each at its type's default width.
 */
export function draftFromDefinition(def: FormDefinition, version: number, spanOf: SpanOf): Draft {
  let next = 0;
  const newUid = () => `u${next++}`;
  const fields: DraftField[] = def.fields.map((field) => ({
    uid: newUid(),
    def: field,
    publishedKey: field.key,
    publishedType: field.type,
  }));
  const subtables: DraftSubtable[] = (def.subtables ?? []).map(({ columns, ...rest }) => ({
    uid: newUid(),
    def: rest,
    columns: columns.map((column) => ({
      uid: newUid(),
      def: column,
      publishedKey: column.key,
      publishedType: column.type,
    })),
    publishedKey: rest.key,
  }));
  const byKey = new Map<string, Uid>([
    ...fields.map((f): [string, Uid] => [f.def.key, f.uid]),
    ...subtables.map((s): [string, Uid] => [s.def.key, s.uid]),
  ]);
  const placed = new Set<Uid>();
  const sections: DraftSection[] = [];
  for (const section of def.layout?.sections ?? []) {
    const items: DraftItem[] = [];
    for (const row of section.rows) {
      let first = true;
      for (const cell of row) {
        const id = byKey.get(cell.field);
        if (!id || placed.has(id)) continue;
        placed.add(id);
        items.push({ uid: id, span: clampSpan(cell.span), ...(first && items.length > 0 ? { newRow: true } : {}) });
        first = false;
      }
    }
    sections.push({
      uid: newUid(),
      ...(section.key !== undefined ? { key: section.key } : {}),
      ...(section.title ? { title: section.title } : {}),
      items,
    });
  }
  const rest: DraftItem[] = [
    ...fields.filter((f) => !placed.has(f.uid)).map((f) => ({ uid: f.uid, span: clampSpan(spanOf(f.def)) })),
    ...subtables.filter((s) => !placed.has(s.uid)).map((s) => ({ uid: s.uid, span: FULL })),
  ];
  if (rest.length > 0 || sections.length === 0) sections.push({ uid: newUid(), key: 'more', items: rest });
  return {
    pack: def.pack,
    key: def.key,
    kind: def.kind,
    label: def.label,
    version,
    fields,
    subtables,
    sections,
    keys: (def.keys ?? []).map((unique) => [...unique]),
    access: {
      // A valid definition names only its own fields; anything else would be dropped, not kept dangling.
      assignees: (def.assignedTo?.fields ?? []).flatMap((key) => {
        const id = byKey.get(key);
        return id ? [id] : [];
      }),
      supervisorLevels: def.assignedTo?.supervisorLevels ?? 0,
      rules: (def.fieldAccess ?? []).flatMap((rule) => {
        const field = rule.field === '*' ? '*' : byKey.get(rule.field);
        if (!field) return [];
        return [{ uid: newUid(), field, access: rule.access, ...(rule.role ? { role: rule.role } : {}) }];
      }),
    },
    next,
  };
}

/**
 * The access settings under the fields' current keys, entry for entry (see DraftAccess). Only declared ones are
 * written: a form without them keeps the hash it had.
 */
function accessOf(draft: Draft, keyOf: ReadonlyMap<Uid, string>): Pick<FormDefinition, 'assignedTo' | 'fieldAccess'> {
  const { assignees, supervisorLevels, rules } = draft.access;
  return {
    ...(assignees.length > 0
      ? { assignedTo: { fields: assignees.map((id) => keyOf.get(id) ?? ''), supervisorLevels } }
      : {}),
    ...(rules.length > 0
      ? {
          fieldAccess: rules.map((rule) => ({
            field: rule.field === '*' ? '*' : (keyOf.get(rule.field) ?? ''),
            access: rule.access,
            ...(rule.role ? { role: rule.role } : {}),
          })),
        }
      : {}),
  };
}

/** Packs a section's items into rows of 24, honouring `newRow`; a subtable is always alone on its row. */
export function rowsOf(items: readonly DraftItem[], isSubtable: (uid: Uid) => boolean): DraftItem[][] {
  const rows: DraftItem[][] = [];
  let row: DraftItem[] = [];
  let used = 0;
  for (const item of items) {
    const whole = isSubtable(item.uid);
    const span = whole ? FULL : item.span;
    if (row.length > 0 && (whole || item.newRow || used + span > FULL)) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(item);
    used += span;
    if (whole) {
      rows.push(row);
      row = [];
      used = 0;
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

export type Compiled = {
  definition: FormDefinition;
  /** Issue path prefix (`fields.3`, `subtables.0.columns.2`, `layout.sections.1`) → what it names. */
  paths: ReadonlyMap<string, Target>;
};

function publishedField(field: DraftField): FieldDefinition {
  const { renamedFrom: _previous, ...def } = field.def;
  if (field.publishedKey !== undefined && field.publishedKey !== def.key)
    return { ...def, renamedFrom: field.publishedKey };
  return field.def;
}

/** The definition the server validates and publishes, and where each of its parts came from. */
export function toDefinition(draft: Draft): Compiled {
  const paths = new Map<string, Target>();
  const keyOf = new Map<Uid, string>();
  const subUids = new Set(draft.subtables.map((s) => s.uid));
  const fields = draft.fields.map((field, index) => {
    paths.set(`fields.${index}`, { kind: 'field', uid: field.uid });
    keyOf.set(field.uid, field.def.key);
    return publishedField(field);
  });
  const subtables: SubtableDefinition[] = draft.subtables.map((sub, index) => {
    paths.set(`subtables.${index}`, { kind: 'subtable', uid: sub.uid });
    keyOf.set(sub.uid, sub.def.key);
    const { renamedFrom: _previous, ...rest } = sub.def;
    const renamed =
      sub.publishedKey !== undefined && sub.publishedKey !== rest.key
        ? { renamedFrom: sub.publishedKey }
        : sub.def.renamedFrom !== undefined
          ? { renamedFrom: sub.def.renamedFrom }
          : {};
    return {
      ...rest,
      ...renamed,
      columns: sub.columns.map((column, c) => {
        paths.set(`subtables.${index}.columns.${c}`, { kind: 'column', sub: sub.uid, uid: column.uid });
        return publishedField(column);
      }),
    };
  });
  const sections: Section[] = draft.sections.map((section, index) => {
    paths.set(`layout.sections.${index}`, { kind: 'section', uid: section.uid });
    const rows = rowsOf(section.items, (id) => subUids.has(id)).map((row) =>
      row.map(
        (item): LayoutCell => ({ field: keyOf.get(item.uid) ?? '', span: subUids.has(item.uid) ? FULL : item.span }),
      ),
    );
    return {
      ...(section.key !== undefined ? { key: section.key } : {}),
      ...(section.title ? { title: section.title } : {}),
      rows,
    };
  });
  const definition: FormDefinition = {
    pack: draft.pack,
    key: draft.key,
    kind: draft.kind,
    label: draft.label,
    fields,
    subtables,
    layout: { sections },
    keys: draft.keys,
    ...accessOf(draft, keyOf),
  };
  return { definition, paths };
}

/** The part of the draft a server issue path names, and the rest of the path inside it (`['key']`). */
export function locate(
  paths: ReadonlyMap<string, Target>,
  path: ReadonlyArray<string | number>,
): { target: Target; rest: (string | number)[] } {
  for (let length = Math.min(path.length, 4); length > 0; length -= 1) {
    const target = paths.get(path.slice(0, length).join('.'));
    if (target) return { target, rest: path.slice(length).map((part) => part) };
  }
  return { target: { kind: 'form' }, rest: [...path] };
}

// ---- reading -----------------------------------------------------------------------------------------------

export function findField(draft: Draft, id: Uid): DraftField | undefined {
  return draft.fields.find((f) => f.uid === id);
}

export function findSubtable(draft: Draft, id: Uid): DraftSubtable | undefined {
  return draft.subtables.find((s) => s.uid === id);
}

export function findColumn(draft: Draft, sub: Uid, id: Uid): DraftField | undefined {
  return findSubtable(draft, sub)?.columns.find((c) => c.uid === id);
}

/** Where an item sits: its section's index and its own index in it. */
export function placeOf(draft: Draft, id: Uid): { section: number; index: number } | undefined {
  for (const [section, s] of draft.sections.entries()) {
    const index = s.items.findIndex((item) => item.uid === id);
    if (index >= 0) return { section, index };
  }
  return undefined;
}

/** Every key a new main field or subtable must not take. */
function mainKeys(draft: Draft): Set<string> {
  return new Set([...draft.fields.map((f) => f.def.key), ...draft.subtables.map((s) => s.def.key)]);
}

/** `select3`: the type's name and the first number not taken (keys are camelCase ASCII). */
export function freshKey(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/[^A-Za-z0-9]/g, '').replace(/^[^a-z]+/, '') || 'field';
  for (let n = 1; ; n += 1) {
    const key = `${stem}${n}`;
    if (!taken.has(key)) return key;
  }
}

// ---- changes ----------------------------------------------------------------------------------------------

/** Where a new or moved item goes: a section (by uid) and a position in it (default: the end). */
export type Place = { section: Uid; index?: number };

function insertItem(draft: Draft, item: DraftItem, place: Place): Draft {
  const sections = draft.sections.map((section) => {
    if (section.uid !== place.section) return section;
    const items = [...section.items];
    const at = Math.max(0, Math.min(place.index ?? items.length, items.length));
    items.splice(at, 0, item);
    return { ...section, items };
  });
  return { ...draft, sections };
}

function withoutItem(draft: Draft, id: Uid): Draft {
  return {
    ...draft,
    sections: draft.sections.map((s) =>
      s.items.some((item) => item.uid === id) ? { ...s, items: s.items.filter((item) => item.uid !== id) } : s,
    ),
  };
}

export type NewField = { type: string; label: Label; config?: Record<string, unknown>; span: number };

export function addField(draft: Draft, spec: NewField, place: Place): { draft: Draft; uid: Uid } {
  const [id, counted] = uid(draft);
  const def: FieldDefinition = {
    key: freshKey(spec.type, mainKeys(draft)),
    label: { ...spec.label },
    type: spec.type,
    ...(spec.config ?? {}),
  };
  const added = { ...counted, fields: [...counted.fields, { uid: id, def }] };
  return { draft: insertItem(added, { uid: id, span: clampSpan(spec.span) }, place), uid: id };
}

export function addSubtable(
  draft: Draft,
  label: Label,
  firstColumn: NewField,
  place: Place,
): { draft: Draft; uid: Uid } {
  const [id, counted] = uid(draft);
  const [columnId, counted2] = uid(counted);
  const sub: DraftSubtable = {
    uid: id,
    def: { key: freshKey('items', mainKeys(draft)), label: { ...label } },
    columns: [
      {
        uid: columnId,
        def: {
          key: freshKey(firstColumn.type, new Set()),
          label: firstColumn.label,
          type: firstColumn.type,
          ...firstColumn.config,
        },
      },
    ],
  };
  const added = { ...counted2, subtables: [...counted2.subtables, sub] };
  return { draft: insertItem(added, { uid: id, span: FULL }, place), uid: id };
}

export function addColumn(draft: Draft, sub: Uid, spec: NewField, index?: number): { draft: Draft; uid: Uid } {
  const [id, counted] = uid(draft);
  return {
    uid: id,
    draft: {
      ...counted,
      subtables: counted.subtables.map((s) => {
        if (s.uid !== sub) return s;
        const columns = [...s.columns];
        const def: FieldDefinition = {
          key: freshKey(spec.type, new Set(s.columns.map((c) => c.def.key))),
          label: { ...spec.label },
          type: spec.type,
          ...(spec.config ?? {}),
        };
        columns.splice(index ?? columns.length, 0, { uid: id, def });
        return { ...s, columns };
      }),
    },
  };
}

/** Moves a placed item to `place` (drag and drop); `place.index` counts the items before the move. */
export function moveItem(draft: Draft, id: Uid, place: Place): Draft {
  const from = placeOf(draft, id);
  const section = draft.sections[from?.section ?? -1];
  const item = section?.items[from?.index ?? -1];
  if (!from || !section || !item) return draft;
  let index = place.index;
  if (index !== undefined && place.section === section.uid && index > from.index) index -= 1;
  return insertItem(withoutItem(draft, id), item, {
    section: place.section,
    ...(index !== undefined ? { index } : {}),
  });
}

/**
 * One step up or down in reading order (the keyboard alternative to dragging): past the first or last item
 * of a section the item moves into the previous or next section.
 */
export function stepItem(draft: Draft, id: Uid, delta: -1 | 1): Draft {
  const from = placeOf(draft, id);
  if (!from) return draft;
  const section = draft.sections[from.section] as DraftSection;
  const target = from.index + delta;
  if (target >= 0 && target < section.items.length)
    return moveItem(draft, id, { section: section.uid, index: delta > 0 ? target + 1 : target });
  const neighbour = draft.sections[from.section + delta];
  if (!neighbour) return draft;
  return moveItem(draft, id, { section: neighbour.uid, ...(delta > 0 ? { index: 0 } : {}) });
}

export function stepColumn(draft: Draft, sub: Uid, id: Uid, delta: -1 | 1): Draft {
  return {
    ...draft,
    subtables: draft.subtables.map((s) => {
      if (s.uid !== sub) return s;
      const index = s.columns.findIndex((c) => c.uid === id);
      const target = index + delta;
      if (index < 0 || target < 0 || target >= s.columns.length) return s;
      const columns = [...s.columns];
      [columns[index], columns[target]] = [columns[target] as DraftField, columns[index] as DraftField];
      return { ...s, columns };
    }),
  };
}

/**
 * Removes a field or a subtable (publishing then hides its column or table: the data is kept), and the access
 * settings naming it: a field added later under the same key does not inherit them.
 */
export function removeItem(draft: Draft, id: Uid): Draft {
  const key = findField(draft, id)?.def.key;
  const out = withoutItem(draft, id);
  return {
    ...out,
    access: {
      ...out.access,
      assignees: out.access.assignees.filter((a) => a !== id),
      rules: out.access.rules.filter((rule) => rule.field !== id),
    },
    fields: out.fields.filter((f) => f.uid !== id),
    subtables: out.subtables.filter((s) => s.uid !== id),
    keys:
      key === undefined
        ? out.keys
        : out.keys.map((unique) => unique.filter((k) => k !== key)).filter((u) => u.length > 0),
  };
}

export function removeColumn(draft: Draft, sub: Uid, id: Uid): Draft {
  return {
    ...draft,
    subtables: draft.subtables.map((s) =>
      s.uid === sub && s.columns.length > 1 ? { ...s, columns: s.columns.filter((c) => c.uid !== id) } : s,
    ),
  };
}

/** Changes a main field; a new key follows into the unique keys. */
export function updateField(draft: Draft, id: Uid, change: (def: FieldDefinition) => FieldDefinition): Draft {
  const before = findField(draft, id);
  if (!before) return draft;
  const def = change(before.def);
  const renamed = def.key !== before.def.key;
  // Only a member field assigns records: retyped to something else, it stops being an assignee.
  const assignee = def.type === 'member' || !draft.access.assignees.includes(id);
  return {
    ...draft,
    ...(assignee ? {} : { access: { ...draft.access, assignees: draft.access.assignees.filter((a) => a !== id) } }),
    fields: draft.fields.map((f) => (f.uid === id ? { ...f, def } : f)),
    keys: renamed ? draft.keys.map((unique) => unique.map((k) => (k === before.def.key ? def.key : k))) : draft.keys,
  };
}

export function updateColumn(
  draft: Draft,
  sub: Uid,
  id: Uid,
  change: (def: FieldDefinition) => FieldDefinition,
): Draft {
  return {
    ...draft,
    subtables: draft.subtables.map((s) =>
      s.uid === sub ? { ...s, columns: s.columns.map((c) => (c.uid === id ? { ...c, def: change(c.def) } : c)) } : s,
    ),
  };
}

export function updateSubtable(
  draft: Draft,
  id: Uid,
  change: (def: DraftSubtable['def']) => DraftSubtable['def'],
): Draft {
  return { ...draft, subtables: draft.subtables.map((s) => (s.uid === id ? { ...s, def: change(s.def) } : s)) };
}

export function updateItem(draft: Draft, id: Uid, change: (item: DraftItem) => DraftItem): Draft {
  return {
    ...draft,
    sections: draft.sections.map((s) =>
      s.items.some((item) => item.uid === id)
        ? { ...s, items: s.items.map((item) => (item.uid === id ? change(item) : item)) }
        : s,
    ),
  };
}

export function addSection(draft: Draft, title: Label): { draft: Draft; uid: Uid } {
  const [id, counted] = uid(draft);
  const taken = new Set(draft.sections.map((s) => s.key).filter((k): k is string => k !== undefined));
  return {
    uid: id,
    draft: {
      ...counted,
      sections: [...counted.sections, { uid: id, key: freshKey('section', taken), title, items: [] }],
    },
  };
}

export function updateSection(draft: Draft, id: Uid, change: (section: DraftSection) => DraftSection): Draft {
  return { ...draft, sections: draft.sections.map((s) => (s.uid === id ? change(s) : s)) };
}

/** Removes a section; its items move to the end of the section before it (or the next, for the first). */
export function removeSection(draft: Draft, id: Uid): Draft {
  const index = draft.sections.findIndex((s) => s.uid === id);
  const section = draft.sections[index];
  if (!section || draft.sections.length < 2) return draft;
  const heirIndex = index > 0 ? index - 1 : 1;
  const sections = draft.sections.map((s, i) => {
    if (i !== heirIndex) return s;
    return index > 0
      ? { ...s, items: [...s.items, ...section.items] }
      : { ...s, items: [...section.items, ...s.items] };
  });
  return { ...draft, sections: sections.filter((s) => s.uid !== id) };
}

export function stepSection(draft: Draft, id: Uid, delta: -1 | 1): Draft {
  const index = draft.sections.findIndex((s) => s.uid === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= draft.sections.length) return draft;
  const sections = [...draft.sections];
  [sections[index], sections[target]] = [sections[target] as DraftSection, sections[index] as DraftSection];
  return { ...draft, sections };
}

/** A field's type changed: its type-specific config starts over from the new type's, common keys stay. */
export function retype(
  def: FieldDefinition,
  type: string,
  config: Record<string, unknown> | undefined,
): FieldDefinition {
  const { key, label, required, help, renamedFrom } = def;
  return {
    key,
    label,
    type,
    ...(required !== undefined ? { required } : {}),
    ...(help ? { help } : {}),
    ...(renamedFrom ? { renamedFrom } : {}),
    ...(config ?? {}),
  };
}

// ---- who reaches a record, field permissions ------------------------------------------------------------------

export function setAssignees(draft: Draft, assignees: readonly Uid[]): Draft {
  return { ...draft, access: { ...draft.access, assignees: [...new Set(assignees)] } };
}

export function setSupervisorLevels(draft: Draft, levels: number): Draft {
  const clamped = Math.min(MAX_SUPERVISOR_LEVELS, Math.max(0, Math.round(levels) || 0));
  return { ...draft, access: { ...draft.access, supervisorLevels: clamped } };
}

/** A new rule at the end: everyone, the whole form, read only (the usual first restriction). */
export function addRule(draft: Draft): { draft: Draft; uid: Uid } {
  const [id, counted] = uid(draft);
  const rule: DraftAccessRule = { uid: id, field: '*', access: 'read' };
  return { uid: id, draft: { ...counted, access: { ...counted.access, rules: [...counted.access.rules, rule] } } };
}

export function updateRule(draft: Draft, id: Uid, change: (rule: DraftAccessRule) => DraftAccessRule): Draft {
  return {
    ...draft,
    access: { ...draft.access, rules: draft.access.rules.map((rule) => (rule.uid === id ? change(rule) : rule)) },
  };
}

export function removeRule(draft: Draft, id: Uid): Draft {
  return { ...draft, access: { ...draft.access, rules: draft.access.rules.filter((rule) => rule.uid !== id) } };
}

/** Order does not change which rule wins (the most permissive applies) but is how the administrator reads them. */
export function stepRule(draft: Draft, id: Uid, delta: -1 | 1): Draft {
  const rules = [...draft.access.rules];
  const index = rules.findIndex((rule) => rule.uid === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= rules.length) return draft;
  [rules[index], rules[target]] = [rules[target] as DraftAccessRule, rules[index] as DraftAccessRule];
  return { ...draft, access: { ...draft.access, rules } };
}
