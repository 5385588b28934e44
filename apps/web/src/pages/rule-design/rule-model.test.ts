import { describe, expect, it } from 'vitest';
import type { SemanticsOf } from '../../form-runtime/compute.ts';
import type { FormDefinition } from '../../form-runtime/types.ts';
import {
  issuesAt,
  issuesUnder,
  type JsonSchema,
  newRule,
  type RuleRegistry,
  ruleIn,
  ruleOut,
  ruleSchema,
  sameNameRows,
  sectionOf,
  settingOut,
  starterSettings,
  triggerIn,
  triggerOut,
} from './rule-model.ts';

// The registry as GET /api/rules/registry sends it (kernel/rule's JSON Schemas, trimmed to what is exercised).
const expression: JsonSchema = { type: 'string', 'x-widget': 'expression' };
const mapping: JsonSchema = { type: 'object', 'x-widget': 'set' };
const writeBack: JsonSchema = {
  type: 'object',
  properties: {
    form: { anyOf: [{ type: 'string' }, { type: 'object' }], 'x-widget': 'form' },
    mode: { type: 'string', enum: ['insert', 'update', 'upsert'], default: 'insert' },
    match: { type: 'object', 'x-widget': 'match' },
    set: { ...mapping, default: {} },
    ifMissing: { type: 'string', enum: ['fail', 'skip'], default: 'fail' },
    changeLog: { type: 'boolean', default: false },
  },
  required: ['form'],
};
const guard: JsonSchema = {
  type: 'object',
  properties: {
    refuseWhen: { ...expression, 'x-expect': 'boolean' },
    lookup: {
      type: 'object',
      properties: {
        form: { anyOf: [{ type: 'string' }], 'x-widget': 'form' },
        match: { type: 'object', 'x-widget': 'match' },
      },
      required: ['form', 'match'],
    },
    message: { type: 'object', 'x-widget': 'label', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
  },
  required: ['refuseWhen', 'message'],
};
const registry: RuleRegistry = {
  actions: [
    { kind: 'writeBack', settings: writeBack, undoable: true },
    { kind: 'guard', settings: guard, undoable: false },
  ],
  events: { flow: ['submitted', 'approved'], form: ['created', 'updated', 'voided'] },
  compensations: { flow: ['withdrawn', 'terminated'], form: ['voided'] },
  context: { 'initiator.memberId': 'member' },
};

// A definition as publishRule stores it: refs normalised to { pack, key }, defaults written out.
const stored = {
  pack: 'office',
  key: 'archiveBooking',
  name: { zh: '预订归档', en: 'Archive bookings' },
  enabled: true,
  order: 0,
  on: { flow: { pack: 'office', key: 'booking' }, events: ['approved'] },
  when: 'attendees > 0',
  actions: [
    {
      kind: 'writeBack',
      form: { pack: 'office', key: 'bookingArchive' },
      mode: 'insert',
      set: { room: 'room', attendees: 'attendees', booker: '$initiator.memberId' },
      ifMissing: 'fail',
      changeLog: false,
    },
    {
      kind: 'guard',
      when: 'attendees > 100',
      refuseWhen: '$target.closed',
      lookup: { form: { pack: 'office', key: 'room' }, match: { code: 'room' } },
      message: { zh: '会议室已停用', en: 'The room is closed' },
    },
  ],
  compensate: { on: ['withdrawn', 'terminated'], undo: true, actions: [] },
  hash: 'ignored',
};

describe('rule drafts', () => {
  it('should turn a stored definition into a draft and back without losing or adding anything', () => {
    const draft = ruleIn(stored, registry);
    expect(draft.trigger).toMatchObject({ kind: 'flow', ref: 'office.booking', events: ['approved'] });
    expect(draft.actions[0]?.settings.form).toBe('office.bookingArchive');
    expect(draft.actions[0]?.settings.set).toEqual([
      { key: 'room', expr: 'room' },
      { key: 'attendees', expr: 'attendees' },
      { key: 'booker', expr: '$initiator.memberId' },
    ]);
    expect(draft.actions[1]?.settings.lookup).toEqual({ form: 'office.room', match: [{ key: 'code', expr: 'room' }] });
    const { hash: _hash, ...rest } = stored;
    expect(ruleOut(draft, registry)).toEqual({
      ...rest,
      on: { flow: 'office.booking', events: ['approved'] },
      actions: [
        { ...stored.actions[0], form: 'office.bookingArchive' },
        { ...stored.actions[1], lookup: { form: 'office.room', match: { code: 'room' } } },
      ],
    });
  });

  it('should leave blank settings, empty tables and half-typed rows out of the definition', () => {
    const draft = newRule('office', 'x');
    draft.actions.push({
      uid: 'u1',
      kind: 'writeBack',
      when: '  ',
      forEachRow: '',
      settings: {
        ...starterSettings(writeBack),
        form: 'office.archive',
        match: [],
        set: [
          { key: 'room', expr: 'room' },
          { key: '  ', expr: 'attendees' },
        ],
      },
    });
    const out = ruleOut(draft, registry);
    expect(out.actions).toEqual([
      {
        kind: 'writeBack',
        form: 'office.archive',
        mode: 'insert',
        set: { room: 'room' },
        ifMissing: 'fail',
        changeLog: false,
      },
    ]);
    expect(out).not.toHaveProperty('when');
    expect(out).not.toHaveProperty('description');
    expect(settingOut({ zh: '', en: ' ' }, guard.properties?.message)).toBeUndefined();
  });

  it('should start a new action with its defaults and the required tables empty', () => {
    expect(starterSettings(writeBack)).toEqual({ mode: 'insert', set: [], ifMissing: 'fail', changeLog: false });
    expect(starterSettings(guard)).toEqual({});
  });

  it('should read and write every trigger kind, sending node filters only with node events', () => {
    const kinds = [
      { flow: 'office.booking', events: ['nodeEntered'], nodes: ['head'] },
      { form: 'office.booking', events: ['created', 'updated'] },
      { form: 'crm.opportunity', schedule: { cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' } },
      { form: 'crm.borrowing', date: { field: 'endDate', days: -1, at: '09:00', timeZone: 'Asia/Shanghai' } },
    ];
    for (const on of kinds) expect(triggerOut(triggerIn(on))).toEqual(on);
    const flow = triggerIn({ flow: 'office.booking', events: ['approved'], nodes: ['head'] });
    expect(triggerOut(flow)).toEqual({ flow: 'office.booking', events: ['approved'] });
  });
});

describe('rule issues', () => {
  const issues = [
    { path: ['on', 'events', 0], code: 'unknown_event', message: 'e' },
    { path: ['actions', 0, 'set', 'room'], code: 'unknown_field', message: 'r' },
    { path: ['actions', 0], code: 'x', message: 'a' },
    { path: ['actions', 1, 'refuseWhen'], code: 'y', message: 'g' },
    { path: ['name', 'zh'], code: 'too_small', message: 'n' },
  ];
  it('should find the issues at and under a path, matching numbers and their text alike', () => {
    expect(issuesUnder(issues, ['actions', 0]).map((i) => i.message)).toEqual(['r', 'a']);
    expect(issuesUnder(issues, ['actions', '0', 'set']).map((i) => i.message)).toEqual(['r']);
    expect(issuesAt(issues, ['actions', 0]).map((i) => i.message)).toEqual(['a']);
    expect(issues.map(sectionOf)).toEqual(['trigger', 'actions', 'actions', 'actions', 'header']);
  });
});

const types: Record<string, string | null> = {
  select: 'text',
  number: 'number',
  datetime: 'datetime',
  member: 'member',
  attachment: null,
};
const semanticsOf: SemanticsOf = (field) =>
  field.type === 'formula'
    ? { exprType: String(field.resultType), computed: true }
    : { exprType: types[field.type] ?? null };
const label = { zh: '字段', en: 'Field' };
const booking: FormDefinition = {
  pack: 'office',
  key: 'booking',
  kind: 'flow',
  label,
  fields: [
    { key: 'room', label, type: 'select' },
    { key: 'attendees', label, type: 'number' },
    { key: 'startAt', label, type: 'datetime' },
    { key: 'files', label, type: 'attachment' },
    { key: 'double', label, type: 'formula', resultType: 'number' },
  ],
};
const archive: FormDefinition = {
  ...booking,
  key: 'bookingArchive',
  kind: 'archive',
  fields: [
    { key: 'room', label, type: 'select' },
    { key: 'attendees', label, type: 'number' },
    { key: 'startAt', label, type: 'member' },
    { key: 'double', label, type: 'formula', resultType: 'number' },
    { key: 'booker', label, type: 'member' },
  ],
};

describe('rule expressions', () => {
  it('should give expressions the record’s fields, the $-context and the matched record as $target', () => {
    const schema = ruleSchema({ source: booking, target: archive }, registry.context, semanticsOf);
    expect(schema.fields).toEqual({
      room: { type: 'text' },
      attendees: { type: 'number' },
      startAt: { type: 'datetime' },
      double: { type: 'number' },
    });
    expect(schema.context).toMatchObject({ 'initiator.memberId': 'member', 'target.booker': 'member' });
    expect(schema.context).not.toHaveProperty('before.room');
    const before = ruleSchema({ source: booking, before: true }, {}, semanticsOf);
    expect(before.context).toHaveProperty('before.attendees', 'number');
  });

  it('should map fields of the same name and type that the target can store, keeping rows already there', () => {
    const rows = sameNameRows(booking, archive, [{ key: 'attendees', expr: 'attendees * 1' }], semanticsOf);
    // startAt differs in type, double is computed, booker has no namesake, attendees is mapped already.
    expect(rows).toEqual([{ key: 'room', expr: 'room' }]);
  });
});
