import { deleteView, listRecords, listViews, MAX_VIEWS_PER_FORM, publishForm, saveView } from '@baton/form';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerArchive, type Env, openEnv } from './fixtures.ts';

// Saved views: a member's named filters, sort and columns on one form, checked against the form when saved
// (every problem with its path), private to the member, replaced by name, bounded in number.

const ref = { pack: customerArchive.pack, key: customerArchive.key };
let env: Env;
beforeEach(async () => {
  env = await openEnv();
  await publishForm(env.ctx, customerArchive);
});
afterEach(async () => {
  await env.database.cleanup();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );

describe('saved views', () => {
  it('saves, lists, replaces by name and deletes a member’s own views only', async () => {
    const spec = {
      filters: [{ field: 'leadSource', op: 'eq' as const, value: 'web' }],
      sort: [{ field: 'customerNo', dir: 'desc' as const }],
      columns: ['customerNo', 'leadSource'],
    };
    const saved = await saveView(env.ctx, { ...ref, memberId: 'm1', name: '网站线索', spec });
    expect(saved).toMatchObject({ name: '网站线索', spec });
    // The spec is exactly what listRecords accepts.
    await listRecords(env.ctx, { ...ref, filters: saved.spec.filters, sort: saved.spec.sort });

    env.clock.advance(1000);
    const replaced = await saveView(env.ctx, {
      ...ref,
      memberId: 'm1',
      name: '网站线索',
      spec: { ...spec, columns: [] },
    });
    expect(replaced.id).toBe(saved.id);
    expect(replaced.spec.columns).toEqual([]);
    await saveView(env.ctx, { ...ref, memberId: 'm1', name: '全部', spec: {} });
    expect((await listViews(env.ctx, { ...ref, memberId: 'm1' })).map((v) => v.name)).toEqual(['全部', '网站线索']);
    expect(await listViews(env.ctx, { ...ref, memberId: 'm2' })).toEqual([]);

    expect(await codeOf(deleteView(env.ctx, { memberId: 'm2', id: saved.id }))).toBe('FORM_VIEW_NOT_FOUND');
    await deleteView(env.ctx, { memberId: 'm1', id: saved.id });
    expect((await listViews(env.ctx, { ...ref, memberId: 'm1' })).map((v) => v.name)).toEqual(['全部']);
  });

  it('reports every problem of a spec with its path and stores nothing', async () => {
    const error = await saveView(env.ctx, {
      ...ref,
      memberId: 'm1',
      name: '坏视图',
      spec: {
        filters: [
          { field: 'nope', op: 'eq', value: 1 },
          { field: 'leadSource', op: 'gt', value: 'web' },
          { field: 'leadSource', op: 'eq', value: 'not-an-option' },
          { field: "x'; drop table baton_form_view; --", op: 'eq', value: 1 },
        ],
        sort: [{ field: 'constructor', dir: 'asc' }],
        columns: ['customerNo', '__proto__'],
      },
    }).catch((e: { code: string; fields: { path: unknown[] }[] }) => e);
    expect(error).toMatchObject({ code: 'FORM_VIEW_INVALID' });
    expect((error as { fields: { path: unknown[] }[] }).fields.map((f) => f.path.join('.'))).toEqual([
      'spec.filters.0.field',
      'spec.filters.1.op',
      'spec.filters.2.value',
      'spec.filters.3.field',
      'spec.sort.0.field',
      'spec.columns.1',
    ]);
    expect(await codeOf(saveView(env.ctx, { ...ref, memberId: 'm1', name: ' ', spec: {} }))).toBe('FORM_VIEW_INVALID');
    expect(
      await codeOf(saveView(env.ctx, { ...ref, memberId: 'm1', name: 'x', spec: { state: 'voided' } as never })),
    ).toBe('FORM_VIEW_INVALID');
    expect(await codeOf(saveView(env.ctx, { pack: 'no', key: 'form', memberId: 'm1', name: 'x', spec: {} }))).toBe(
      'FORM_NOT_PUBLISHED',
    );
    expect(await listViews(env.ctx, { ...ref, memberId: 'm1' })).toEqual([]);
  });

  it(`keeps at most ${MAX_VIEWS_PER_FORM} views per member and form`, async () => {
    for (let i = 0; i < MAX_VIEWS_PER_FORM; i++) {
      await saveView(env.ctx, { ...ref, memberId: 'm1', name: `v${i}`, spec: {} });
    }
    expect(await codeOf(saveView(env.ctx, { ...ref, memberId: 'm1', name: 'one more', spec: {} }))).toBe(
      'FORM_VIEW_LIMIT',
    );
    // Replacing an existing one is still fine.
    await saveView(env.ctx, { ...ref, memberId: 'm1', name: 'v0', spec: { columns: ['customerNo'] } });
  });
});
