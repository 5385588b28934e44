import { aggregateFunctions } from './aggregate.ts';
import { conversionFunctions } from './conversion.ts';
import { dateFunctions } from './date.ts';
import type { FunctionDefinition } from './define.ts';
import { logicFunctions } from './logic.ts';
import { mathFunctions } from './math.ts';
import { textFunctions } from './text.ts';

/** The one list of functions. A name is looked up here and nowhere else; a Map, so no name reaches a prototype. */
const all: readonly FunctionDefinition[] = [
  ...aggregateFunctions,
  ...logicFunctions,
  ...mathFunctions,
  ...textFunctions,
  ...dateFunctions,
  ...conversionFunctions,
];

const byName = new Map<string, FunctionDefinition>();
for (const definition of all) {
  if (byName.has(definition.name)) throw new TypeError(`function ${definition.name} is defined twice`);
  byName.set(definition.name, definition);
}

export function findFunction(name: string): FunctionDefinition | undefined {
  return byName.get(name.toUpperCase());
}

/** Every function, sorted by name: for the designer's function list and the docs. */
export function listFunctions(): readonly FunctionDefinition[] {
  return [...all].sort((a, b) => a.name.localeCompare(b.name));
}
