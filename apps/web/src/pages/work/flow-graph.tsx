import {
  BranchesOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  FlagOutlined,
  MergeCellsOutlined,
  NotificationOutlined,
  PlayCircleOutlined,
  RobotOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ReactNode, useMemo } from 'react';
import type { GraphNode, InstanceDetail } from '../../api/flows.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';

// The request's flow drawn as a graph, top to bottom: each node in the row of its longest path from the start
// (definitions are acyclic; returns are actions, not edges), nodes of a row ordered under their predecessors.
// The nodes are an ordered list for assistive technology; the edges are decoration (SVG, aria-hidden).

const W = 148;
const H = 58;
const GAP_X = 16;
const GAP_Y = 34;

type Placed = { node: GraphNode; x: number; y: number };

/** Rows by longest path from the start, then each row ordered by where its predecessors sit. */
export function layoutGraph(
  nodes: readonly GraphNode[],
  edges: readonly { from: string; to: string }[],
): { placed: Placed[]; width: number; height: number } {
  const order = new Map(nodes.map((node, index) => [node.key, index]));
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const edge of edges) {
    if (!order.has(edge.from) || !order.has(edge.to)) continue;
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge.to]);
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  }
  // Kahn's order gives each node its rank once all its predecessors have one.
  const rank = new Map<string, number>();
  const waiting = new Map(nodes.map((node) => [node.key, (incoming.get(node.key) ?? []).length]));
  const ready = nodes.filter((node) => waiting.get(node.key) === 0).map((node) => node.key);
  for (const key of ready) rank.set(key, 0);
  while (ready.length > 0) {
    const key = ready.shift() as string;
    for (const next of outgoing.get(key) ?? []) {
      rank.set(next, Math.max(rank.get(next) ?? 0, (rank.get(key) ?? 0) + 1));
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  // Anything left over (a cycle in a malformed definition) goes below the rest rather than vanishing.
  let deepest = Math.max(0, ...rank.values());
  for (const node of nodes) if (!rank.has(node.key)) rank.set(node.key, ++deepest);

  const rows: GraphNode[][] = [];
  for (const node of nodes) {
    const r = rank.get(node.key) ?? 0;
    rows[r] = [...(rows[r] ?? []), node];
  }
  const column = new Map<string, number>();
  for (const row of rows) {
    if (!row) continue;
    const weight = (node: GraphNode) => {
      const from = (incoming.get(node.key) ?? []).map((key) => column.get(key)).filter((c) => c !== undefined);
      return from.length ? from.reduce((a, b) => a + b, 0) / from.length : (order.get(node.key) ?? 0);
    };
    row.sort((a, b) => weight(a) - weight(b) || (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
    row.forEach((node, index) => {
      column.set(node.key, index - (row.length - 1) / 2);
    });
  }
  const widest = Math.max(1, ...rows.map((row) => row?.length ?? 0));
  const width = widest * W + (widest - 1) * GAP_X;
  const placed: Placed[] = [];
  rows.forEach((row, r) => {
    for (const node of row ?? []) {
      const c = column.get(node.key) ?? 0;
      placed.push({ node, x: width / 2 + c * (W + GAP_X) - W / 2, y: r * (H + GAP_Y) });
    }
  });
  return { placed, width, height: rows.length * H + Math.max(0, rows.length - 1) * GAP_Y };
}

const kindIcons: Record<string, ReactNode> = {
  start: <PlayCircleOutlined aria-hidden />,
  end: <FlagOutlined aria-hidden />,
  approval: <UserOutlined aria-hidden />,
  notify: <NotificationOutlined aria-hidden />,
  condition: <BranchesOutlined aria-hidden />,
  parallel: <BranchesOutlined aria-hidden />,
  join: <MergeCellsOutlined aria-hidden />,
  automatic: <RobotOutlined aria-hidden />,
  subflow: <BranchesOutlined aria-hidden />,
};

const knownKinds = new Set(Object.keys(kindIcons));

export function kindLabel(kind: string, t: Translate): string {
  return knownKinds.has(kind) ? t(`work.graph.kind.${kind}` as MessageKey) : kind;
}

function stateOf(node: GraphNode, current: ReadonlySet<string>): string {
  if (current.has(node.key)) return 'current';
  if (node.outcome === 'rejected') return 'rejected';
  if (node.state === 'completed') return 'completed';
  if (node.state === 'cancelled') return 'cancelled';
  return 'notReached';
}

export function FlowGraph({
  graph,
  nodeName,
  nameOf,
  t,
}: {
  graph: InstanceDetail['graph'];
  nodeName: (key: string) => string;
  nameOf: (memberId: string) => string;
  t: Translate;
}) {
  const { placed, width, height } = useMemo(() => layoutGraph(graph.nodes, graph.edges), [graph]);
  const current = useMemo(() => new Set(graph.currentNodes), [graph.currentNodes]);
  const at = new Map(placed.map((p) => [p.node.key, p]));
  const reached = (key: string) => {
    const node = at.get(key)?.node;
    return Boolean(node && node.state !== 'notReached');
  };
  return (
    <div className="flow-graph-scroll">
      <div className="flow-graph" style={{ width, height }}>
        <svg className="flow-graph-edges" width={width} height={height} aria-hidden="true" focusable="false">
          <defs>
            <marker id="flow-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" className="flow-graph-arrow" />
            </marker>
          </defs>
          {graph.edges.map((edge) => {
            const from = at.get(edge.from);
            const to = at.get(edge.to);
            if (!from || !to) return null;
            const x1 = from.x + W / 2;
            const y1 = from.y + H;
            const x2 = to.x + W / 2;
            const y2 = to.y;
            const mid = (y1 + y2) / 2;
            const taken = reached(edge.from) && reached(edge.to) && at.get(edge.from)?.node.state === 'completed';
            return (
              <path
                key={`${edge.from}->${edge.to}`}
                d={`M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2 - 2}`}
                className={taken ? 'flow-graph-edge is-taken' : 'flow-graph-edge'}
                markerEnd="url(#flow-arrow)"
              />
            );
          })}
        </svg>
        <ol className="flow-graph-nodes" aria-label={t('work.graph.title')}>
          {placed.map(({ node, x, y }) => {
            const state = stateOf(node, current);
            const people = node.assignees.map(nameOf).join('、');
            return (
              <li
                key={node.key}
                className={`flow-node is-${state} kind-${knownKinds.has(node.kind) ? node.kind : 'other'}`}
                style={{ left: x, top: y, width: W, height: H }}
                data-node={node.key}
                data-state={state}
                aria-current={state === 'current' ? 'step' : undefined}
              >
                <span className="flow-node-title">
                  {kindIcons[node.kind]}
                  <span className="flow-node-name">{nodeName(node.key)}</span>
                  {state === 'completed' && <CheckCircleFilled aria-hidden className="flow-node-mark" />}
                  {state === 'rejected' && <CloseCircleFilled aria-hidden className="flow-node-mark" />}
                </span>
                <span className="flow-node-meta">
                  {people && <span className="flow-node-people">{people}</span>}
                  <span className="flow-node-state">{t(`work.graph.${state}` as MessageKey)}</span>
                </span>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
