import { DbErrors, defineMigrations, type EngineMigrations, type Migration, migrate, migrationStatus } from '@baton/db';
import { createTestDatabase, type TestDatabase, testDialect } from '@baton/testkit';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { raceAlpha, raceBeta } from './fixtures/race-migrations.ts';

function createTable(name: string, table: string): Migration {
  return {
    name,
    async up(db, t) {
      await db.schema
        .createTable(table)
        .addColumn('id', t.id, (c) => c.primaryKey())
        .execute();
    },
  };
}

const shop = defineMigrations('shop', [
  createTable('0001_order', 'shop_order'),
  {
    name: '0002_order_amount',
    async up(db, t) {
      await db.schema.alterTable('shop_order').addColumn('amount_fen', t.bigint).execute();
    },
  },
]);

async function records(database: TestDatabase, engine: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('baton_db_migration')
    .select('name')
    .where('engine', '=', engine)
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
}

describe(`migrations (${testDialect})`, () => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.cleanup();
  });

  it('applies each migration once, records it and is idempotent on rerun', async () => {
    database = await createTestDatabase();
    expect(await migrationStatus(database.db, [shop])).toEqual({
      applied: [],
      pending: ['shop/0001_order', 'shop/0002_order_amount'],
      unknown: [],
    });
    expect(await migrate(database.db, [shop])).toEqual({ applied: ['shop/0001_order', 'shop/0002_order_amount'] });
    expect(await records(database, 'shop')).toEqual(['0001_order', '0002_order_amount']);
    expect(await migrate(database.db, [shop])).toEqual({ applied: [] });
    expect(await records(database, 'shop')).toEqual(['0001_order', '0002_order_amount']);
    await sql`insert into shop_order (id, amount_fen) values ('a', 12)`.execute(database.db);

    const grown = defineMigrations('shop', [...shop.migrations, createTable('0003_refund', 'shop_refund')]);
    expect(await migrationStatus(database.db, [grown])).toEqual({
      applied: ['shop/0001_order', 'shop/0002_order_amount'],
      pending: ['shop/0003_refund'],
      unknown: [],
    });
    expect(await migrate(database.db, [grown])).toEqual({ applied: ['shop/0003_refund'] });
    const row = await database.db
      .selectFrom('baton_db_migration')
      .selectAll()
      .where('engine', '=', 'db')
      .executeTakeFirstOrThrow();
    expect(row.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reports everything pending on an empty database', async () => {
    database = await createTestDatabase();
    await database.db.schema.dropTable('baton_db_migration').execute();
    expect((await migrationStatus(database.db, [shop])).pending).toHaveLength(2);
  });

  it('refuses a database with a migration the code does not know', async () => {
    database = await createTestDatabase({ migrations: [shop] });
    const older = defineMigrations('shop', [shop.migrations[0] as Migration]);
    expect((await migrationStatus(database.db, [older])).unknown).toEqual(['shop/0002_order_amount']);
    const error = await migrate(database.db, [older]).catch((e: unknown) => e);
    expect(DbErrors.migrationUnknown.is(error)).toBe(true);
    expect((error as Error).message).toContain('shop/0002_order_amount');
  });

  it('refuses a new migration that sorts before an applied one', async () => {
    database = await createTestDatabase({ migrations: [shop] });
    const inserted = defineMigrations('shop', [
      createTable('0000_early', 'shop_early'),
      ...(shop.migrations as Migration[]),
    ]);
    await expect(migrate(database.db, [inserted])).rejects.toMatchObject({ code: 'DB_MIGRATION_OUT_OF_ORDER' });
  });

  it('rolls a failing migration back with no record row', async () => {
    database = await createTestDatabase();
    const broken = defineMigrations('broken', [
      createTable('0001_ok', 'broken_ok'),
      {
        name: '0002_fails',
        async up(db, t) {
          await db.schema.createTable('broken_half').addColumn('id', t.id).execute();
          await db.insertInto('broken_half').values({ id: 'x' }).execute();
          throw new Error('boom');
        },
      },
    ]);
    const error = await migrate(database.db, [broken]).catch((e: unknown) => e);
    expect(DbErrors.migrationFailed.is(error)).toBe(true);
    expect((error as Error).message).toContain('broken/0002_fails');
    expect((error as Error).message).toContain('boom');
    expect(await records(database, 'broken')).toEqual(['0001_ok']);
    await expect(sql`select * from broken_half`.execute(database.db)).rejects.toThrow();
    await expect(sql`select * from broken_ok`.execute(database.db)).resolves.toBeDefined();
  });

  it('validates definitions', () => {
    const up = async () => undefined;
    expect(() => defineMigrations('Bad', [])).toThrow(/engine/);
    expect(() => defineMigrations('ok', [{ name: 'init', up }])).toThrow(/0001/);
    expect(() =>
      defineMigrations('ok', [
        { name: '0002_b', up },
        { name: '0001_a', up },
      ]),
    ).toThrow(/ascending/);
    expect(() =>
      defineMigrations('ok', [
        { name: '0001_a', up },
        { name: '0001_a', up },
      ]),
    ).toThrow(/unique/);
    const twice: EngineMigrations = defineMigrations('twice', []);
    const again = defineMigrations('twice', []);
    return expect(migrate({} as never, [twice, again])).rejects.toMatchObject({ code: 'DB_MIGRATION_INVALID' });
  });

  it('applies every migration exactly once when two runners start at once', async () => {
    database = await createTestDatabase();
    const sets = [raceAlpha, raceBeta];
    const all = [
      ...raceAlpha.migrations.map((m) => `race_alpha/${m.name}`),
      ...raceBeta.migrations.map((m) => `race_beta/${m.name}`),
    ];
    let mine: string[];
    let theirs: string[];
    if (testDialect === 'postgres') {
      const second = database.openSecond();
      await second.ping(); // connected already, so both runners really start together
      [{ applied: mine }, { applied: theirs }] = await Promise.all([
        migrate(database.db, sets),
        migrate(second.db, sets),
      ]);
    } else {
      // better-sqlite3 is synchronous: the competing runner must live in another process.
      const child = await database.spawnChild<{ applied: string[] }>(
        new URL('./fixtures/child-migrate.ts', import.meta.url),
      );
      [{ applied: mine }, { applied: theirs }] = await Promise.all([migrate(database.db, sets), child.go()]);
    }
    expect([...mine, ...theirs].sort()).toEqual([...all].sort());
    expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
    const log = await sql<{ name: string }>`select name from race_log order by name`.execute(database.db);
    expect(log.rows).toHaveLength(all.length - 1);
    const noise = await sql<{ n: number }>`select count(*) as n from race_noise`.execute(database.db);
    expect(Number(noise.rows[0]?.n)).toBe((all.length - 1) * 20);
    expect(await records(database, 'race_alpha')).toHaveLength(raceAlpha.migrations.length);
    expect(await records(database, 'race_beta')).toHaveLength(raceBeta.migrations.length);
  });
});
