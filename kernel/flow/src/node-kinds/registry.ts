import { approvalNode } from './approval/index.ts';
import { automaticNode } from './automatic/index.ts';
import { conditionNode } from './condition/index.ts';
import type { AnyNodeKind, NodeKindDefinition } from './define.ts';
import { endNode } from './end/index.ts';
import { joinNode } from './join/index.ts';
import { notifyNode } from './notify/index.ts';
import { parallelNode } from './parallel/index.ts';
import { startNode } from './start/index.ts';
import { subflowNode } from './subflow/index.ts';

// The one list of node kinds.
const kinds: readonly NodeKindDefinition<never>[] = [
  startNode,
  approvalNode,
  notifyNode,
  conditionNode,
  parallelNode,
  joinNode,
  automaticNode,
  subflowNode,
  endNode,
] as unknown as NodeKindDefinition<never>[];

const byKind = new Map<string, AnyNodeKind>(kinds.map((kind) => [kind.kind, kind as unknown as AnyNodeKind]));

export function findNodeKind(kind: string): AnyNodeKind | undefined {
  return byKind.get(kind);
}

export function listNodeKinds(): AnyNodeKind[] {
  return [...byKind.values()];
}
