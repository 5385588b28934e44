import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../form-runtime/types.ts';
import {
  addColumn,
  addField,
  addRule,
  addSection,
  addSubtable,
  draftFromDefinition,
  emptyDraft,
  freshKey,
  locate,
  moveItem,
  removeItem,
  removeRule,
  removeSection,
  rowsOf,
  setAssignees,
  setSupervisorLevels,
  stepItem,
  stepRule,
  toDefinition,
  updateField,
  updateItem,
  updateRule,
  updateSubtable,
} from './draft.ts';

const label = { zh: '字段', en: 'Field' };
const published: FormDefinition = {
  pack: 'office',
  key: 'booking',
  kind: 'flow',
  label: { zh: '会议室预订', en: 'Room booking' },
  fields: [
    { key: 'room', label, type: 'select', options: [{ code: 'a', label }] },
    { key: 'startAt', label, type: 'datetime' },
    { key: 'endAt', label, type: 'datetime' },
    { key: 'note', label, type: 'longtext' },
  ],
  subtables: [{ key: 'items', label, columns: [{ key: 'name', label, type: 'text' }] }],
  layout: {
    sections: [
      {
        key: 'head',
        title: { zh: '基本信息', en: 'Basics' },
        rows: [
          [{ field: 'room', span: 12 }],
          [
            { field: 'startAt', span: 12 },
            { field: 'endAt', span: 12 },
          ],
        ],
      },
    ],
  },
  keys: [['room', 'startAt']],
};
const spanOf = () => 12;
const sectionTitle = { zh: '分组', en: 'Section' };

describe('draft ↔ definition', () => {
  it('keeps who is assigned and the field permissions, following renames and removals', () => {
    const withAccess: FormDefinition = {
      ...published,
      fields: [...published.fields, { key: 'host', label, type: 'member' }],
      assignedTo: { fields: ['host'], supervisorLevels: 2 },
      fieldAccess: [
        { field: 'note', access: 'read' },
        { field: 'note', access: 'edit', role: 'admin' },
        { field: 'items', access: 'hidden' },
        { field: 'endAt', access: 'read' },
      ],
    };
    let draft = draftFromDefinition(withAccess, 4, spanOf);
    expect(toDefinition(draft).definition).toMatchObject({
      assignedTo: withAccess.assignedTo,
      fieldAccess: withAccess.fieldAccess,
    });
    const uidOf = (key: string) => draft.fields.find((f) => f.def.key === key)?.uid as string;
    draft = updateField(draft, uidOf('note'), (def) => ({ ...def, key: 'remark' }));
    draft = updateField(draft, uidOf('host'), (def) => ({ ...def, key: 'organiser' }));
    draft = removeItem(draft, uidOf('endAt'));
    const { definition } = toDefinition(draft);
    expect(definition.assignedTo).toEqual({ fields: ['organiser'], supervisorLevels: 2 });
    expect(definition.fieldAccess).toEqual([
      { field: 'remark', access: 'read' },
      { field: 'remark', access: 'edit', role: 'admin' },
      { field: 'items', access: 'hidden' },
    ]);
    // An assignee field retyped to something else is no longer an assignee.
    draft = updateField(draft, uidOf('organiser'), (def) => ({ ...def, type: 'text' }));
    expect(toDefinition(draft).definition).not.toHaveProperty('assignedTo');
  });

  it('edits who is assigned and the rules, published and reopened unchanged', () => {
    let draft = draftFromDefinition(
      { ...published, fields: [...published.fields, { key: 'host', label, type: 'member' }] },
      1,
      spanOf,
    );
    const before = toDefinition(draft).definition;
    expect(before).not.toHaveProperty('assignedTo');
    expect(before).not.toHaveProperty('fieldAccess');
    const uidOf = (key: string) =>
      (draft.fields.find((f) => f.def.key === key)?.uid ??
        draft.subtables.find((s) => s.def.key === key)?.uid) as string;
    draft = setAssignees(draft, [uidOf('host'), uidOf('host')]);
    draft = setSupervisorLevels(draft, 9);
    const first = addRule(draft);
    draft = updateRule(first.draft, first.uid, (rule) => ({
      ...rule,
      field: uidOf('note'),
      access: 'hidden',
      role: 'hr',
    }));
    const second = addRule(draft);
    draft = updateRule(second.draft, second.uid, (rule) => ({ ...rule, field: uidOf('items'), access: 'edit' }));
    const third = addRule(draft);
    draft = stepRule(third.draft, third.uid, -1);
    const { definition } = toDefinition(draft);
    expect(definition.assignedTo).toEqual({ fields: ['host'], supervisorLevels: 5 });
    expect(definition.fieldAccess).toEqual([
      { field: 'note', access: 'hidden', role: 'hr' },
      { field: '*', access: 'read' },
      { field: 'items', access: 'edit' },
    ]);
    // What the server stores comes back as the same settings, and as the same definition.
    const reopened = draftFromDefinition(definition, 2, spanOf);
    expect(toDefinition(reopened).definition).toEqual(definition);
    expect(reopened.access.rules.map((rule) => rule.access)).toEqual(['hidden', 'read', 'edit']);
    // Renaming a subtable moves its rule; removing the rule and the assignee leaves nothing declared.
    draft = updateSubtable(draft, uidOf('items'), (def) => ({ ...def, key: 'lines' }));
    expect(toDefinition(draft).definition.fieldAccess?.[2]).toEqual({ field: 'lines', access: 'edit' });
    draft = removeItem(draft, uidOf('note'));
    expect(toDefinition(draft).definition.fieldAccess).toHaveLength(2);
    for (const rule of draft.access.rules) draft = removeRule(draft, rule.uid);
    draft = setAssignees(draft, []);
    const cleared = toDefinition(draft).definition;
    expect(cleared).not.toHaveProperty('assignedTo');
    expect(cleared).not.toHaveProperty('fieldAccess');
  });

  it('places issues of rules and assignees by index', () => {
    let draft = draftFromDefinition(
      {
        ...published,
        fields: [...published.fields, { key: 'host', label, type: 'member' }],
        assignedTo: { fields: ['host'], supervisorLevels: 0 },
        fieldAccess: [
          { field: '*', access: 'read' },
          { field: 'room', access: 'edit', role: 'admin' },
        ],
      },
      1,
      spanOf,
    );
    draft = stepRule(draft, draft.access.rules[1]?.uid as string, -1);
    const { definition, paths } = toDefinition(draft);
    expect(definition.fieldAccess?.[0]).toEqual({ field: 'room', access: 'edit', role: 'admin' });
    // Form-level paths: the rest of the path keeps the index of the rule.
    expect(locate(paths, ['fieldAccess', 0, 'role'])).toEqual({
      target: { kind: 'form' },
      rest: ['fieldAccess', 0, 'role'],
    });
  });

  it('round-trips a published layout row for row, unplaced parts in a last section', () => {
    const draft = draftFromDefinition(published, 3, spanOf);
    expect(draft.sections.map((s) => s.items.length)).toEqual([3, 2]);
    const { definition } = toDefinition(draft);
    expect(definition.layout?.sections[0]?.rows).toEqual(published.layout?.sections[0]?.rows);
    expect(definition.layout?.sections[1]?.rows).toEqual([
      [{ field: 'note', span: 12 }],
      [{ field: 'items', span: 24 }],
    ]);
    expect(definition.fields).toEqual(published.fields);
    expect(definition.keys).toEqual([['room', 'startAt']]);
  });

  it('publishes a changed key of a published field with renamedFrom, and follows it into unique keys', () => {
    const draft = draftFromDefinition(published, 1, spanOf);
    const room = draft.fields[0]?.uid as string;
    const renamed = updateField(draft, room, (def) => ({ ...def, key: 'meetingRoom' }));
    const { definition } = toDefinition(renamed);
    expect(definition.fields[0]).toMatchObject({ key: 'meetingRoom', renamedFrom: 'room' });
    expect(definition.keys).toEqual([['meetingRoom', 'startAt']]);
    expect(definition.layout?.sections[0]?.rows[0]).toEqual([{ field: 'meetingRoom', span: 12 }]);
    // Back to the published key: no rename any more.
    const back = toDefinition(updateField(renamed, room, (def) => ({ ...def, key: 'room' }))).definition;
    expect(back.fields[0]).not.toHaveProperty('renamedFrom');
  });

  it('maps server issue paths back to fields, columns, sections and the form', () => {
    const { paths } = toDefinition(draftFromDefinition(published, 1, spanOf));
    const draft = draftFromDefinition(published, 1, spanOf);
    expect(locate(paths, ['fields', 2, 'key'])).toEqual({
      target: { kind: 'field', uid: draft.fields[2]?.uid },
      rest: ['key'],
    });
    expect(locate(paths, ['subtables', 0, 'columns', 0, 'type'])).toEqual({
      target: { kind: 'column', sub: draft.subtables[0]?.uid, uid: draft.subtables[0]?.columns[0]?.uid },
      rest: ['type'],
    });
    expect(locate(paths, ['subtables', 0, 'minRows']).target).toEqual({
      kind: 'subtable',
      uid: draft.subtables[0]?.uid,
    });
    expect(locate(paths, ['layout', 'sections', 1, 'rows', 0])).toMatchObject({ rest: ['rows', 0] });
    expect(locate(paths, ['key'])).toEqual({ target: { kind: 'form' }, rest: ['key'] });
  });
});

describe('changes', () => {
  const blank = () => emptyDraft({ zh: '新表单', en: 'New form' }, sectionTitle);

  it('adds fields with fresh camelCase keys in the chosen section and position', () => {
    let draft = blank();
    const section = draft.sections[0]?.uid as string;
    const a = addField(draft, { type: 'select', label, span: 12 }, { section });
    draft = a.draft;
    const b = addField(draft, { type: 'select', label, span: 12 }, { section, index: 0 });
    draft = b.draft;
    expect(draft.fields.map((f) => f.def.key)).toEqual(['select1', 'select2']);
    expect(draft.sections[0]?.items.map((i) => i.uid)).toEqual([b.uid, a.uid]);
    expect(freshKey('moneyUpper', new Set(['moneyUpper1']))).toBe('moneyUpper2');
  });

  it('moves items by drag (index before the move) and by keyboard steps across sections', () => {
    let draft = blank();
    const first = draft.sections[0]?.uid as string;
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const added = addField(draft, { type: 'text', label, span: 8 }, { section: first });
      draft = added.draft;
      ids.push(added.uid);
    }
    const [a, b, c] = ids as [string, string, string];
    draft = moveItem(draft, a, { section: first, index: 3 });
    expect(draft.sections[0]?.items.map((i) => i.uid)).toEqual([b, c, a]);
    const second = addSection(draft, sectionTitle);
    draft = stepItem(second.draft, a, 1);
    expect(draft.sections[1]?.items.map((i) => i.uid)).toEqual([a]);
    draft = stepItem(draft, a, -1);
    expect(draft.sections[0]?.items.map((i) => i.uid)).toEqual([b, c, a]);
    draft = stepItem(draft, a, -1);
    expect(draft.sections[0]?.items.map((i) => i.uid)).toEqual([b, a, c]);
    draft = removeSection(draft, second.uid);
    expect(draft.sections).toHaveLength(1);
  });

  it('packs rows of 24 with new-row breaks and subtables alone, and removes fields from unique keys', () => {
    let draft = blank();
    const section = draft.sections[0]?.uid as string;
    const ids: string[] = [];
    for (const span of [12, 8, 8]) {
      const added = addField(draft, { type: 'text', label, span }, { section });
      draft = added.draft;
      ids.push(added.uid);
    }
    const sub = addSubtable(draft, label, { type: 'text', label, span: 24 }, { section, index: 1 });
    draft = sub.draft;
    draft = addColumn(draft, sub.uid, { type: 'number', label, span: 12 }).draft;
    const rows = rowsOf(draft.sections[0]?.items ?? [], (id) => id === sub.uid);
    expect(rows.map((row) => row.length)).toEqual([1, 1, 2]);
    draft = updateItem(draft, ids[2] as string, (item) => ({ ...item, newRow: true }));
    const { definition } = toDefinition(draft);
    expect(definition.layout?.sections[0]?.rows.map((row) => row.map((cell) => cell.field))).toEqual([
      ['text1'],
      ['items1'],
      ['text2'],
      ['text3'],
    ]);
    expect(definition.subtables?.[0]?.columns.map((c) => c.key)).toEqual(['text1', 'number1']);
    draft = { ...draft, keys: [['text1', 'text2']] };
    expect(removeItem(draft, ids[0] as string).keys).toEqual([['text2']]);
  });
});
