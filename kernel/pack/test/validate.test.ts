import { isBatonError } from '@baton/core';
import { definePack, validatePack } from '@baton/pack';
import { describe, expect, it } from 'vitest';
import { tinyPack } from './fixtures.ts';

const paths = (input: unknown) => validatePack(input).map((issue) => issue.path.join('.'));

describe('validatePack', () => {
  it('accepts the fixture, freezes it and stamps a stable hash', () => {
    expect(validatePack(tinyPack())).toEqual([]);
    const a = definePack(tinyPack());
    const b = definePack(tinyPack());
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(Object.isFrozen(a.forms[0])).toBe(true);
    expect(definePack(tinyPack({ version: '1.0.1' })).hash).not.toBe(a.hash);
    // A defined pack validates again as it is (its hash is not content), and defines to the same hash.
    expect(validatePack(a)).toEqual([]);
    expect(definePack(a).hash).toBe(a.hash);
  });

  it('reports every problem of a broken pack at once, each with its path', () => {
    const pack = tinyPack();
    const [ledger, request] = pack.forms as unknown as Record<string, unknown>[];
    const broken = {
      ...pack,
      forms: [
        ledger,
        {
          ...(request as object),
          fields: [
            { key: 'subject', label: { zh: '事由', en: 'Subject' }, type: 'text' },
            // a reference to a form the pack does not have, and one to a field its target lacks
            { key: 'other', label: { zh: '其他', en: 'Other' }, type: 'reference', form: 'tiny.nowhere', display: 'x' },
            {
              key: 'ledgerRef',
              label: { zh: '台账', en: 'Ledger' },
              type: 'reference',
              form: { pack: 'tiny', key: 'ledger' },
              display: 'nope',
            },
            { key: 'reviewOpinion', label: { zh: '意见', en: 'Opinion' }, type: 'opinion', node: 'review' },
          ],
        },
        { ...(ledger as object) }, // the same form key again
      ],
      flows: [
        {
          ...(pack.flows[0] as object),
          nodes: [
            { key: 'start', kind: 'start' },
            {
              key: 'review',
              kind: 'approval',
              assignees: [
                { source: 'memberField', field: 'approverNobodyDeclared' },
                { source: 'role', role: 'undeclaredRole' },
              ],
              opinionField: 'reviewOpinion',
            },
            { key: 'end', kind: 'end' },
          ],
        },
      ],
      rules: [
        {
          ...(pack.rules?.[0] as object),
          actions: [
            { kind: 'grant', form: 'tiny.archiveLedger', record: 'ledgerRef', member: '$initiator.memberId', days: 7 },
          ],
        },
      ],
      reports: [
        { ...(pack.reports?.[0] as object), measures: [{ key: 'total', agg: 'sum', field: 'nope' }] },
        { ...(pack.reports?.[0] as object), key: 'elsewhere', form: { pack: 'tiny', key: 'missing' } },
      ],
      menus: [
        {
          key: 'tiny',
          label: { zh: '小账本', en: 'Tiny' },
          items: [
            { key: 'ledgers', label: { zh: '台账', en: 'Ledgers' }, form: 'ledger' },
            { key: 'lost', label: { zh: '丢失', en: 'Lost' }, form: 'missingForm' },
          ],
        },
      ],
      roles: [...pack.roles, { ...(pack.roles[0] as object), permissions: [{ form: 'ghost', create: true }] }],
      locales: { 'zh-CN': { 'menu.hint': '记账' }, 'en-US': { 'menu.other': 'Other' } },
      demo: {
        records: [{ form: 'ledger', by: 'staff:北京销售一组:0', values: { title: 'x', colour: 'red' } }],
        filings: [
          { flow: 'requestApproval', by: 'nobody', values: { subject: 'x', ledgerRef: { $record: 'missing' } } },
          {
            flow: 'requestApproval',
            by: 'staff:北京销售一组:0',
            values: { subject: 'y', ledgerRef: { $find: { form: 'ghost', where: { title: 'x' } } } },
            steps: [{ action: 'approve', by: 'head:销售中心', values: { nope: 1 } }],
          },
          {
            flow: 'requestApproval',
            by: 'staff:北京销售一组:0',
            values: { subject: 'z', ledgerRef: { $find: { form: 'ledger', where: { colour: 'red' } } } },
          },
        ],
      },
    };
    const found = paths(broken);
    expect(found).toEqual(
      expect.arrayContaining([
        'forms.1.fields.1.form',
        'forms.1.fields.2.display',
        'forms.2.key',
        'flows.0.nodes.1.assignees.0.field',
        'flows.0.nodes.1.assignees.1.role',
        'rules.0.actions.0.form',
        'reports.0.measures.0.field',
        'reports.1.form',
        'menus.0.items.1.form',
        'roles.2.code',
        'roles.2.permissions.0.form',
        'locales.en-US.menu.hint',
        'locales.zh-CN.menu.other',
        'demo.records.0.values.colour',
        'demo.filings.0.by',
        'demo.filings.0.values.ledgerRef.$record',
        'demo.filings.1.values.ledgerRef.$find.form',
        'demo.filings.1.steps.0.values.nope',
        'demo.filings.2.values.ledgerRef.$find.where.colour',
      ]),
    );
    try {
      definePack(broken);
      expect.unreachable('definePack must throw');
    } catch (error) {
      expect(isBatonError(error) && error.code).toBe('PACK_INVALID');
      expect(isBatonError(error) && error.fields.map((f) => f.path.join('.'))).toEqual(found);
    }
  });

  it('refuses forms and flows that belong to another pack, and a malformed version', () => {
    const pack = tinyPack({ version: '1.0' });
    const forms = pack.forms.map((form, i) => (i === 0 ? { ...form, pack: 'other' } : form));
    expect(paths({ ...pack, forms })).toEqual(['version']);
    expect(paths({ ...tinyPack(), forms })).toEqual(expect.arrayContaining(['forms.0.pack']));
  });

  it('reports the form engine’s own issues under the form’s path', () => {
    const pack = tinyPack();
    const forms = pack.forms.map((form, i) =>
      i === 0
        ? { ...form, fields: [...form.fields, { key: 'Bad Key', label: { zh: '坏', en: 'Bad' }, type: 'text' }] }
        : form,
    );
    expect(paths({ ...pack, forms })).toContain('forms.0.fields.4.key');
  });
});
