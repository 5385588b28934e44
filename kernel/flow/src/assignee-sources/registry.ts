import { chosenByInitiatorSource } from './chosen-by-initiator/index.ts';
import { chosenByPreviousSource } from './chosen-by-previous/index.ts';
import type { AnyAssigneeSource } from './define.ts';
import { departmentFieldSource } from './department-field/index.ts';
import { memberFieldSource } from './member-field/index.ts';
import { membersSource } from './members/index.ts';
import { postSource } from './post/index.ts';
import { relativeSource } from './relative/index.ts';
import { roleSource } from './role/index.ts';

// The one list of assignee sources.
const sources = [
  membersSource,
  roleSource,
  postSource,
  relativeSource,
  memberFieldSource,
  departmentFieldSource,
  chosenByInitiatorSource,
  chosenByPreviousSource,
] as unknown as AnyAssigneeSource[];

const bySource = new Map<string, AnyAssigneeSource>(sources.map((source) => [source.source, source]));

export function findAssigneeSource(source: string): AnyAssigneeSource | undefined {
  return bySource.get(source);
}

export function listAssigneeSources(): AnyAssigneeSource[] {
  return [...bySource.values()];
}
