import { type Compilable, type CompiledQuery, createQueryId, type Kysely, sql } from 'kysely';
import type { BatonDatabase } from './schema.ts';

/** Stands for the n-th argument while the query is built once; it ends up as one of the compiled parameters. */
class Slot {
  constructor(readonly index: number) {}
}

type Compiled = { query: CompiledQuery; slots: ReadonlyArray<number | undefined> };

/**
 * A query whose shape never changes, built and compiled once per dialect (and naming); a call only binds its
 * arguments. Kysely
 * builds a query from immutable nodes and writes its SQL anew every time, which is most of what a simple statement
 * costs the process; for the few queries every flow action runs, that cost is paid once.
 *
 * `build` must use its arguments only as values (`where('id', '=', id)`), never look at them: it runs once, with
 * stand-ins. A stand-in that does not come back as a parameter is refused at that first build.
 */
export function reusableQuery<Args extends readonly unknown[], Row>(
  build: (db: Kysely<BatonDatabase>, ...args: Args) => Compilable<Row>,
): (db: Kysely<BatonDatabase>, ...args: Args) => Promise<Row[]> {
  const compiled = new Map<string, Compiled>();
  return async (db, ...args) => {
    // The SQL depends on the dialect and on whether names are renamed (not through `db.withoutPlugins()`).
    const probe = sql`${sql.id('aB')} = ${0}`.compile(db).sql;
    let entry = compiled.get(probe);
    if (!entry) {
      const stand = args.map((_, index) => new Slot(index)) as unknown as Args;
      const query = build(db, ...stand).compile();
      const slots = query.parameters.map((value) => (value instanceof Slot ? value.index : undefined));
      const missing = args.findIndex((_, index) => !slots.includes(index));
      if (missing >= 0) throw new Error(`reusableQuery: argument ${missing} is not a value of the query`);
      entry = { query, slots };
      compiled.set(probe, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((value, at) => {
      const slot = slots[at];
      return slot === undefined ? value : args[slot];
    });
    // The compiled query as it was (drivers look at its node: a select is read, not run), with this call's values.
    const bound: CompiledQuery<Row> = { ...(query as CompiledQuery<Row>), parameters, queryId: createQueryId() };
    const result = await db.executeQuery(bound);
    return result.rows;
  };
}
