import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { duplicateCode } from './errors.ts';
import type { Level, Post, Unit } from './model.ts';
import { type Batch, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import { loadLevel, loadPost, loadUnit } from './repo.ts';
import { codeField, idField, nameField, parseInput, sortField, timeZoneField, versionField } from './validate.ts';

// Units, posts and levels: flat catalogues with a unique code each.

const unitKind = z.enum(['headquarters', 'branch', 'subsidiary']);

const createUnitInput = z.strictObject({
  code: codeField,
  name: nameField,
  kind: unitKind.default('branch'),
  /** IANA zone the unit's instants are shown in. */
  timeZone: timeZoneField.default('Asia/Shanghai'),
  sort: sortField.optional(),
});
export type CreateUnitInput = z.input<typeof createUnitInput>;

const updateUnitInput = z.strictObject({
  id: idField,
  version: versionField,
  code: codeField.optional(),
  name: nameField.optional(),
  kind: unitKind.optional(),
  timeZone: timeZoneField.optional(),
  sort: sortField.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateUnitInput = z.input<typeof updateUnitInput>;

/** The next sort number after the largest one in `table` (rows sorted by it): gaps of 10 leave room. */
async function nextSort(batch: Batch, table: 'baton_org_unit' | 'baton_org_post'): Promise<number> {
  const row = await batch.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.max('sort').as('top'))
    .executeTakeFirst();
  return (Number(row?.top ?? 0) || 0) + 10;
}

async function unitCodeTaken(batch: Batch, code: string, exceptId?: string): Promise<boolean> {
  let query = batch.ctx.db.selectFrom('baton_org_unit').select('id').where('code', '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createUnit(ctx: DbCtx, input: CreateUnitInput): Promise<Unit> {
  const data = parseInput(createUnitInput, input);
  return runOp(ctx, 'createUnit', async (batch) => {
    if (await unitCodeTaken(batch, data.code)) throw duplicateCode('unit', data.code);
    const unit: Unit = {
      ...fresh(batch),
      code: data.code,
      name: data.name,
      kind: data.kind,
      timeZone: data.timeZone,
      sort: data.sort ?? (await nextSort(batch, 'baton_org_unit')),
      enabled: true,
    };
    return insertEntity(batch, 'unit', unit);
  });
}

/**
 * Renames, re-codes, re-sorts, changes the time zone, or enables/disables a unit. Departments of a
 * disabled unit count as disabled for resolution.
 */
export async function updateUnit(ctx: DbCtx, input: UpdateUnitInput): Promise<Unit> {
  const data = parseInput(updateUnitInput, input);
  return runOp(ctx, 'updateUnit', async (batch) => {
    const before = await loadUnit(batch.ctx, data.id);
    if (data.code !== undefined && (await unitCodeTaken(batch, data.code, before.id))) {
      throw duplicateCode('unit', data.code);
    }
    const { id: _id, version, ...patch } = data;
    const action =
      patch.enabled === false ? 'disable' : patch.enabled === true && !before.enabled ? 'enable' : 'update';
    return updateEntity(batch, 'unit', before, patch, { expectedVersion: version, action });
  });
}

const createPostInput = z.strictObject({
  code: codeField,
  name: nameField,
  /** Omitted or null: a group-wide post (集团基准岗) usable in every unit. */
  unitId: idField.nullable().optional(),
  sort: sortField.optional(),
});
export type CreatePostInput = z.input<typeof createPostInput>;

const updatePostInput = z.strictObject({
  id: idField,
  version: versionField,
  code: codeField.optional(),
  name: nameField.optional(),
  sort: sortField.optional(),
  enabled: z.boolean().optional(),
});
export type UpdatePostInput = z.input<typeof updatePostInput>;

async function postCodeTaken(batch: Batch, code: string, exceptId?: string): Promise<boolean> {
  let query = batch.ctx.db.selectFrom('baton_org_post').select('id').where('code', '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createPost(ctx: DbCtx, input: CreatePostInput): Promise<Post> {
  const data = parseInput(createPostInput, input);
  return runOp(ctx, 'createPost', async (batch) => {
    if (data.unitId) await loadUnit(batch.ctx, data.unitId);
    if (await postCodeTaken(batch, data.code)) throw duplicateCode('post', data.code);
    const post: Post = {
      ...fresh(batch),
      unitId: data.unitId ?? null,
      code: data.code,
      name: data.name,
      sort: data.sort ?? (await nextSort(batch, 'baton_org_post')),
      enabled: true,
    };
    return insertEntity(batch, 'post', post);
  });
}

export async function updatePost(ctx: DbCtx, input: UpdatePostInput): Promise<Post> {
  const data = parseInput(updatePostInput, input);
  return runOp(ctx, 'updatePost', async (batch) => {
    const before = await loadPost(batch.ctx, data.id);
    if (data.code !== undefined && (await postCodeTaken(batch, data.code, before.id))) {
      throw duplicateCode('post', data.code);
    }
    const { id: _id, version, ...patch } = data;
    return updateEntity(batch, 'post', before, patch, { expectedVersion: version });
  });
}

const rankField = z.number().int().min(0).max(100_000);

const createLevelInput = z.strictObject({
  code: codeField,
  name: nameField,
  /** Lower number = more senior: 总裁 10, 副总裁 20, 总监 30, 经理 40, 主管 50, 专员 60. */
  rank: rankField,
});
export type CreateLevelInput = z.input<typeof createLevelInput>;

const updateLevelInput = z.strictObject({
  id: idField,
  version: versionField,
  code: codeField.optional(),
  name: nameField.optional(),
  rank: rankField.optional(),
});
export type UpdateLevelInput = z.input<typeof updateLevelInput>;

async function levelCodeTaken(batch: Batch, code: string, exceptId?: string): Promise<boolean> {
  let query = batch.ctx.db.selectFrom('baton_org_level').select('id').where('code', '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createLevel(ctx: DbCtx, input: CreateLevelInput): Promise<Level> {
  const data = parseInput(createLevelInput, input);
  return runOp(ctx, 'createLevel', async (batch) => {
    if (await levelCodeTaken(batch, data.code)) throw duplicateCode('level', data.code);
    return insertEntity(batch, 'level', { ...fresh(batch), code: data.code, name: data.name, rank: data.rank });
  });
}

export async function updateLevel(ctx: DbCtx, input: UpdateLevelInput): Promise<Level> {
  const data = parseInput(updateLevelInput, input);
  return runOp(ctx, 'updateLevel', async (batch) => {
    const before = await loadLevel(batch.ctx, data.id);
    if (data.code !== undefined && (await levelCodeTaken(batch, data.code, before.id))) {
      throw duplicateCode('level', data.code);
    }
    const { id: _id, version, ...patch } = data;
    return updateEntity(batch, 'level', before, patch, { expectedVersion: version });
  });
}
