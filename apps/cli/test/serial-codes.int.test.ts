import { isBatonError } from '@baton/core';
import { createRecord, publishForm } from '@baton/form';
import { createDepartment, createUnit } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx, testDialect } from '@baton/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
// Importing the platform wires the org's department codes into the form engine's serials.
import { platformMigrations } from '../src/platform.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
});
afterAll(async () => {
  await database?.cleanup();
});

it(`fills {department} with the org's code, and a department that does not exist is a blank part (${testDialect})`, async () => {
  const ctx = testCtx(database.db);
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  const sales = await createDepartment(ctx, { unitId: unit.id, name: '销售部', code: 'XS01' });
  const form = { pack: 'demo', key: 'salesOrder' };
  await publishForm(ctx, {
    ...form,
    kind: 'archive',
    label: { zh: '订单', en: 'Order' },
    fields: [
      { key: 'title', label: { zh: '标题', en: 'Title' }, type: 'text' },
      {
        key: 'orderNo',
        label: { zh: '单号', en: 'No.' },
        type: 'serial',
        pattern: 'D-{department}-{seq:3}',
        reset: 'never',
      },
    ],
  });
  const record = await createRecord(ctx, { ...form, values: { title: 'a' } }, { context: { departmentId: sales.id } });
  expect(record.values.orderNo).toBe('D-XS01-001');
  const gone = await createRecord(
    ctx,
    { ...form, values: { title: 'b' } },
    { context: { departmentId: '0190f0aa-0000-7000-8000-000000000000' } },
  ).catch((error: unknown) => error);
  expect(isBatonError(gone) && gone.code).toBe('FORM_SERIAL_PART_BLANK');
});
