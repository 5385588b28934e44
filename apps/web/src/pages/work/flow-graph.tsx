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
import { NODE_HEIGHT as H, layoutGraph, NODE_WIDTH as W } from './flow-layout.ts';

// The request's flow drawn as a graph (laid out by flow-layout.ts). The nodes are an ordered list for
// assistive technology; the edges are decoration (SVG, aria-hidden).

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
