import { describe, expect, it } from 'vitest';
import type { SemanticsOf } from '../../form-runtime/compute.ts';
import type { FormDefinition } from '../../form-runtime/types.ts';
import {
  type ActionDraft,
  issuesAt,
  issuesUnder,
  type JsonSchema,
  newRule,
  outputNames,
  outputsBefore,
  type RuleRegistry,
  renameOutput,
  renameOutputIn,
  rowsIn,
  rowsOut,
  ruleIn,
  ruleOut,
  ruleSchema,
  sameNameRows,
  sectionOf,
  settingOut,
  starterSettings,
  triggerIn,
  triggerOut,
  validOutputName,
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
    subtables: {
      type: 'object',
      'x-widget': 'rows',
    },
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
    { kind: 'writeBack', settings: writeBack, undoable: true, output: { values: { id: 'text' }, fieldsOf: 'form' } },
    { kind: 'guard', settings: guard, undoable: false, output: null },
    {
      kind: 'startFlow',
      settings: { type: 'object', properties: { flow: { type: 'string', 'x-widget': 'flow' } } },
      undoable: false,
      output: { values: { instanceId: 'text', recordId: 'text' } },
    },
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
      as: '',
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

describe('subtable rows (writeBack subtables)', () => {
  const subtables = {
    lines: { from: 'items', when: 'NOT skip', set: { name: 'name', no: '$row' }, onUpdate: 'append' },
    notes: { set: { text: 'purpose' }, onUpdate: 'replace' },
  };

  it('should edit each target subtable as a row mapping and give the same subtables back', () => {
    const mappings = rowsIn(subtables);
    expect(mappings).toEqual([
      {
        subtable: 'lines',
        from: 'items',
        when: 'NOT skip',
        set: [
          { key: 'name', expr: 'name' },
          { key: 'no', expr: '$row' },
        ],
        onUpdate: 'append',
      },
      { subtable: 'notes', from: '', when: '', set: [{ key: 'text', expr: 'purpose' }], onUpdate: 'replace' },
    ]);
    expect(rowsOut(mappings)).toEqual(subtables);
  });

  it('should leave out a mapping without its subtable, blank from and when, and half-typed columns', () => {
    expect(
      rowsOut([
        { subtable: '', from: 'items', when: '', set: [{ key: 'a', expr: 'a' }], onUpdate: 'replace' },
        {
          subtable: 'lines',
          from: '',
          when: '  ',
          set: [
            { key: ' ', expr: 'x' },
            { key: 'name', expr: 'name' },
          ],
          onUpdate: 'replace',
        },
      ]),
    ).toEqual({ lines: { set: { name: 'name' }, onUpdate: 'replace' } });
    expect(rowsOut([])).toBeUndefined();
    // An empty set is sent so that the server names it at its path (set_empty), not as a missing property.
    expect(rowsOut([{ subtable: 'lines', from: '', when: '', set: [], onUpdate: 'append' }])).toEqual({
      lines: { set: {}, onUpdate: 'append' },
    });
  });

  it('should carry subtables and as through a whole rule', () => {
    const def = {
      ...stored,
      actions: [{ ...stored.actions[0], as: 'archive', subtables }],
      compensate: undefined,
    };
    const draft = ruleIn(def, registry);
    expect(draft.actions[0]?.as).toBe('archive');
    expect(draft.actions[0]?.settings.subtables).toHaveLength(2);
    const out = ruleOut(draft, registry) as { actions: Record<string, unknown>[] };
    expect(out.actions[0]).toMatchObject({ as: 'archive', subtables });
    expect(Object.keys(out.actions[0] ?? {})).not.toContain('compensate');
  });
});

describe('named actions ($actions.<as>.*)', () => {
  const action = (kind: string, as: string, settings: Record<string, unknown> = {}, forEachRow = ''): ActionDraft => ({
    uid: `u-${kind}-${as}`,
    kind,
    when: '',
    forEachRow,
    as,
    settings,
  });
  const actions = [
    action('writeBack', 'archive', { form: 'office.archive' }),
    action('startFlow', 'started', { flow: 'office.review' }),
    action('guard', 'refused'),
    action('writeBack', 'perRow', { form: 'office.line' }, 'items'),
    action('writeBack', 'archive', { form: 'office.other' }),
    action('writeBack', ''),
  ];

  it('should offer an action only the outputs of the named actions before it', () => {
    expect(outputsBefore(actions, 0, registry)).toEqual([]);
    expect(outputsBefore(actions, 1, registry)).toEqual([
      {
        name: 'archive',
        index: 0,
        kind: 'writeBack',
        values: { id: 'text' },
        fieldsOf: { kind: 'form', ref: 'office.archive' },
      },
    ]);
    // guard has no output, a per-row action has one per row, a second "archive" is a duplicate of the first.
    expect(outputsBefore(actions, 6, registry).map((output) => [output.name, output.index])).toEqual([
      ['archive', 0],
      ['started', 1],
    ]);
  });

  it('should refuse names the expression language cannot read back', () => {
    expect(validOutputName('archive')).toBe(true);
    expect(validOutputName('planLine2')).toBe(true);
    expect(validOutputName('Archive')).toBe(false);
    expect(validOutputName('2nd')).toBe(false);
    expect(validOutputName('and')).toBe(false);
    expect(outputsBefore([action('writeBack', 'and', { form: 'office.archive' })], 1, registry)).toEqual([]);
  });

  it('should type the fixed outputs and every readable field of the form written', () => {
    const archive: FormDefinition = {
      pack: 'office',
      key: 'archive',
      kind: 'archive',
      label: { zh: '档案', en: 'Archive' },
      fields: [
        { key: 'no', label: { zh: '编号', en: 'No.' }, type: 'text' },
        { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money' },
        { key: 'remark', label: { zh: '说明', en: 'Remark' }, type: 'richtext' },
      ],
    } as FormDefinition;
    const semanticsOf: SemanticsOf = (field) =>
      ({
        exprType: field.type === 'richtext' ? null : field.type,
        computed: false,
        nodeOnly: false,
      }) as ReturnType<SemanticsOf>;
    const outputs = outputsBefore(actions, 6, registry);
    const names = outputNames(
      outputs,
      (output) => (output.fieldsOf?.ref === 'office.archive' ? archive : undefined),
      semanticsOf,
    );
    expect(names.map((name) => [name.path, name.type])).toEqual([
      ['actions.archive.id', 'text'],
      ['actions.archive.no', 'text'],
      ['actions.archive.amount', 'money'],
      ['actions.started.instanceId', 'text'],
      ['actions.started.recordId', 'text'],
    ]);
    // Until the form is loaded, the fixed outputs alone.
    expect(outputNames(outputs, () => undefined, semanticsOf)).toHaveLength(3);
  });

  it('should rename whole $actions.<as>. names only, keeping the rest of the text as written', () => {
    expect(renameOutputIn("$actions.archive.id & '·'  &  $actions.archive.no", 'archive', 'ledger')).toBe(
      "$actions.ledger.id & '·'  &  $actions.ledger.no",
    );
    // Another name that starts the same, a string, a field and `$actions.archive` without a value stay.
    const kept = "$actions.archives.id & '$actions.archive.id' & archive & TEXT($actions.archive)";
    expect(renameOutputIn(kept, 'archive', 'ledger')).toBe(kept);
    // Full-width dollar signs are read as `$`: the name is found at the same place.
    expect(renameOutputIn('＄actions.archive.id', 'archive', 'ledger')).toBe('＄actions.ledger.id');
    // What does not parse is not touched.
    expect(renameOutputIn('$actions.archive.id &', 'archive', 'ledger')).toBe('$actions.archive.id &');
  });

  it('should carry a renamed output into the expressions of the actions after it', () => {
    const reader = (as: string): ActionDraft => ({
      ...action('writeBack', as, {
        form: 'office.receipt',
        set: [{ key: 'archiveId', expr: '$actions.archive.id' }],
        match: [{ key: 'id', expr: '$actions.archive.id' }],
        subtables: [
          {
            subtable: 'lines',
            from: '',
            when: 'NOT ISBLANK($actions.archive.no)',
            set: [{ key: 'no', expr: '$actions.archive.no' }],
            onUpdate: 'replace',
          },
        ],
      }),
      when: '$actions.archive.id != $actions.started.instanceId',
    });
    const list = [action('writeBack', 'archive', { form: 'office.archive' }), reader('receipt')];
    const renamed = (to: string, from = 'archive') =>
      renameOutput(
        list.map((each, at) => (at === 0 ? { ...each, as: to } : each)),
        0,
        from,
        to,
        registry,
      );
    const after = renamed('ledger')?.[1] as ActionDraft;
    expect(after.when).toBe('$actions.ledger.id != $actions.started.instanceId');
    expect(after.settings.set).toEqual([{ key: 'archiveId', expr: '$actions.ledger.id' }]);
    expect(after.settings.match).toEqual([{ key: 'id', expr: '$actions.ledger.id' }]);
    expect(after.settings.subtables).toMatchObject([
      { when: 'NOT ISBLANK($actions.ledger.no)', set: [{ key: 'no', expr: '$actions.ledger.no' }] },
    ]);
    expect(renamed('ledger')?.[0]?.as).toBe('ledger');
    // A half-typed, invalid or taken name renames nothing.
    expect(renamed('')).toBeNull();
    expect(renamed('Ledger')).toBeNull();
    expect(renamed('receipt')).toBeNull();
    // A second action of the same name read nothing (the first one gives it): renaming it renames nothing.
    expect(renameOutput([list[0] as ActionDraft, reader('ledger')], 1, 'archive', 'ledger', registry)).toBeNull();
    // The actions before the renamed one are left as they are.
    const first = { ...reader('first'), uid: 'u-first' };
    const longer = renameOutput(
      [first, { ...action('writeBack', 'ledger', { form: 'office.archive' }) }, reader('receipt')],
      1,
      'archive',
      'ledger',
      registry,
    );
    expect(longer?.[0]).toBe(first);
    expect(longer?.[2]?.settings.set).toEqual([{ key: 'archiveId', expr: '$actions.ledger.id' }]);
  });
});
