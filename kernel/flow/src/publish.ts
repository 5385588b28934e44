import { type DbCtx, instant, toJson, withTx } from '@baton/db';
import { compileFlow } from './definition.ts';
import { actorId, formAt } from './engine.ts';
import type { FlowDefinition, FlowDefinitionInput } from './types.ts';

export type PublishFlowResult = { version: number; definition: FlowDefinition; unchanged: boolean };

/**
 * Validates the definition against the latest published version of its form and stores it as version
 * n+1 (unchanged when identical to the latest and checked against the same form version). Running instances stay on the version they started with.
 */
export async function publishFlow(ctx: DbCtx, def: FlowDefinitionInput): Promise<PublishFlowResult> {
  return withTx(ctx, async (tx) => {
    if (typeof def?.form?.pack !== 'string' || typeof def.form.key !== 'string') compileFlow(def);
    const { version: formVersion, form } = await formAt(tx, def.form.pack, def.form.key);
    const { def: definition } = compileFlow(def, form);
    const latest = await tx.db
      .selectFrom('baton_flow_definition')
      .select(['version', 'hash', 'formVersion'])
      .where('pack', '=', definition.pack)
      .where('key', '=', definition.key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.hash === definition.hash && Number(latest.formVersion) === formVersion) {
      return { version: Number(latest.version), definition, unchanged: true };
    }
    const version = Number(latest?.version ?? 0) + 1;
    await tx.db
      .insertInto('baton_flow_definition')
      .values({
        pack: definition.pack,
        key: definition.key,
        version,
        definition: toJson(tx.db, definition),
        hash: definition.hash,
        formVersion,
        publishedAt: instant(tx.clock.now()),
        publishedBy: actorId(tx),
      })
      .execute();
    return { version, definition, unchanged: false };
  });
}
