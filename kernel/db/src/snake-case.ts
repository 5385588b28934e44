import {
  CamelCasePlugin,
  type DefaultQueryCompiler,
  type OperationNode,
  type PluginTransformQueryArgs,
  type RootOperationNode,
} from 'kysely';

/**
 * camelCase in TypeScript, snake_case in SQL, renamed while the SQL text is written instead of by rewriting the
 * query. Kysely's CamelCasePlugin renames by copying (and freezing) every node of every query before it is
 * compiled — on the flow engine's hot path that copy was about 6 % of the server's CPU. Here the plugin only marks
 * the query it was given, with its own renaming, and a compiler made by `renamingCompiler` renames each identifier
 * of a marked tree as it appends it: the same names (the plugin's own mapping and options), the same reach (a
 * subquery built where the plugin is on and used where it is off is renamed, as the copying plugin renamed it when
 * it was built; `db.withoutPlugins()` renames nothing), and the result rows are mapped back by the plugin as before.
 */
const renamings = new WeakMap<OperationNode, (name: string) => string>();

export class CompileTimeCamelCasePlugin extends CamelCasePlugin {
  readonly #rename = (name: string) => this.snakeCase(name);

  override transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    renamings.set(args.node, this.#rename);
    return args.node;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript's rule for a class a mixin extends.
type CompilerClass = new (...args: any[]) => DefaultQueryCompiler;
type Visit = (node: OperationNode) => void;

/** `Base` (a dialect's query compiler) that renames the identifiers of trees marked by the plugin above. */
export function renamingCompiler<T extends CompilerClass>(Base: T) {
  class Renaming extends Base {
    #rename: ((name: string) => string) | undefined;

    // biome-ignore lint/suspicious/noExplicitAny: TypeScript's rule for a mixin's constructor.
    constructor(...args: any[]) {
      super(...args);
      // Kysely's visitor declares visitNode as an arrow property, so it is wrapped here, not overridden.
      const visit: Visit = (this as unknown as { visitNode: Visit }).visitNode;
      (this as unknown as { visitNode: Visit }).visitNode = (node) => {
        if (this.#rename) return visit(node);
        const rename = renamings.get(node);
        if (!rename) return visit(node);
        this.#rename = rename;
        try {
          visit(node);
        } finally {
          this.#rename = undefined;
        }
      };
    }

    protected override sanitizeIdentifier(identifier: string): string {
      return super.sanitizeIdentifier(this.#rename ? this.#rename(identifier) : identifier);
    }
  }
  return Renaming;
}
