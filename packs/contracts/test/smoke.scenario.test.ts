import { expect, it } from 'vitest';
import { openScenario } from './setup.ts';

it('installs', async () => {
  const s = await openScenario();
  expect(s.demo.records).toBe(0);
  await s.database.cleanup();
}, 120_000);
