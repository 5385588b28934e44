import { describe, expect, it } from 'vitest';
import { parseRules, printRules } from './condition.ts';
import {
  emptyTree,
  type FlowTree,
  freshKey,
  type Graph,
  graphToTree,
  insertNode,
  placeIssues,
  removeNode,
  type TaskNode,
  treeToGraph,
} from './tree-model.ts';

const task = (key: string, kind = 'approval', options: Record<string, unknown> = {}): TaskNode => ({
  type: 'task',
  key,
  kind,
  options,
});
const base = (nodes: FlowTree['nodes']): FlowTree => ({
  start: task('start', 'start'),
  nodes,
  end: task('end', 'end'),
});
const edges = (graph: Graph) =>
  graph.edges.map((e) => `${e.from}>${e.to}${e.condition ? `?${e.condition}` : ''}${e.else ? '!' : ''}`);

describe('treeToGraph / graphToTree', () => {
  it('a linear flow is a chain of edges and comes back as the same tree', () => {
    const tree = base([
      task('head', 'approval', { assignees: [{ source: 'relative', relation: 'head' }] }),
      task('cc', 'notify'),
    ]);
    const graph = treeToGraph(tree);
    expect(graph.nodes.map((n) => n.key)).toEqual(['start', 'head', 'cc', 'end']);
    expect(graph.nodes[1]).toEqual({
      key: 'head',
      kind: 'approval',
      assignees: [{ source: 'relative', relation: 'head' }],
    });
    expect(edges(graph)).toEqual(['start>head', 'head>cc', 'cc>end']);
    expect(graphToTree(graph)).toEqual({ ok: true, tree });
  });

  it('start straight to end', () => {
    const graph = treeToGraph(emptyTree());
    expect(edges(graph)).toEqual(['start>end']);
    expect(graphToTree(graph)).toEqual({ ok: true, tree: emptyTree() });
  });

  it('a condition with an else: conditional edges in order, the else last, an empty branch goes on to the next node', () => {
    const tree = base([
      {
        type: 'condition',
        key: 'route',
        branches: [
          { condition: 'days > 3', nodes: [task('head'), task('hr')] },
          { condition: null, nodes: [] },
        ],
      },
      task('cc', 'notify'),
    ]);
    const graph = treeToGraph(tree);
    expect(edges(graph)).toEqual(['start>route', 'route>head?days > 3', 'head>hr', 'route>cc!', 'hr>cc', 'cc>end']);
    expect(graph.edgeOwners[1]).toEqual({ blockKey: 'route', branch: 0 });
    expect(graph.edgeOwners[3]).toEqual({ blockKey: 'route', branch: 1 });
    expect(graphToTree(graph)).toEqual({ ok: true, tree });
  });

  it('an else edge listed first in the graph still becomes the last branch', () => {
    const graph: Graph = {
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'c', kind: 'condition' },
        { key: 'a', kind: 'approval' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'c' },
        { from: 'c', to: 'end', else: true },
        { from: 'c', to: 'a', condition: 'x > 1' },
        { from: 'a', to: 'end' },
      ],
    };
    const result = graphToTree(graph);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const block = result.tree.nodes[0];
    expect(block?.type === 'condition' && block.branches.map((b) => b.condition)).toEqual(['x > 1', null]);
  });

  it('nested conditions inside a branch, ending at the end node', () => {
    const tree = base([
      {
        type: 'condition',
        key: 'c1',
        branches: [
          {
            condition: 'amount > 100',
            nodes: [
              task('a'),
              {
                type: 'condition',
                key: 'c2',
                branches: [
                  { condition: 'amount > 1000', nodes: [task('b')] },
                  { condition: 'amount > 500', nodes: [task('c')] },
                  { condition: null, nodes: [] },
                ],
              },
            ],
          },
          { condition: null, nodes: [task('d')] },
        ],
      },
    ]);
    const graph = treeToGraph(tree);
    expect(edges(graph)).toEqual([
      'start>c1',
      'c1>a?amount > 100',
      'a>c2',
      'c2>b?amount > 1000',
      'c2>c?amount > 500',
      'c2>end!',
      'c1>d!',
      'b>end',
      'c>end',
      'd>end',
    ]);
    expect(graphToTree(graph)).toEqual({ ok: true, tree });
  });

  it('parallel branches end in their join', () => {
    const tree = base([
      {
        type: 'parallel',
        key: 'p',
        joinKey: 'p-join',
        branches: [{ nodes: [task('fin')] }, { nodes: [task('legal'), task('cc', 'notify')] }],
      },
      task('ceo'),
    ]);
    const graph = treeToGraph(tree);
    expect(graph.nodes.map((n) => `${n.key}:${n.kind}`)).toEqual([
      'start:start',
      'p:parallel',
      'fin:approval',
      'legal:approval',
      'cc:notify',
      'p-join:join',
      'ceo:approval',
      'end:end',
    ]);
    expect(edges(graph)).toEqual([
      'start>p',
      'p>fin',
      'p>legal',
      'legal>cc',
      'fin>p-join',
      'cc>p-join',
      'p-join>ceo',
      'ceo>end',
    ]);
    expect(graphToTree(graph)).toEqual({ ok: true, tree });
  });

  it('refuses graphs it cannot draw: a jump across branches, two ends, a parallel without join', () => {
    const across: Graph = {
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'c', kind: 'condition' },
        { key: 'a', kind: 'approval' },
        { key: 'b', kind: 'approval' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'c' },
        { from: 'c', to: 'a', condition: 'x > 1' },
        { from: 'c', to: 'b', else: true },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'end' },
      ],
    };
    // Branch a leads into branch b: the branches meet at b, so a's branch is [a] and b follows — that is drawable.
    expect(graphToTree(across).ok).toBe(true);
    const twoEnds: Graph = {
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'end', kind: 'end' },
        { key: 'end2', kind: 'end' },
      ],
      edges: [{ from: 'start', to: 'end' }],
    };
    expect(graphToTree(twoEnds)).toMatchObject({ ok: false });
    const noJoin: Graph = {
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'p', kind: 'parallel' },
        { key: 'a', kind: 'approval' },
        { key: 'b', kind: 'approval' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'p' },
        { from: 'p', to: 'a' },
        { from: 'p', to: 'b' },
        { from: 'a', to: 'end' },
        { from: 'b', to: 'end' },
      ],
    };
    expect(graphToTree(noJoin)).toMatchObject({ ok: false, reason: 'parallel p does not end in a join' });
    const skip: Graph = {
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'c', kind: 'condition' },
        { key: 'a', kind: 'approval' },
        { key: 'b', kind: 'approval' },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'c' },
        { from: 'c', to: 'a', condition: 'x > 1' },
        { from: 'c', to: 'end', else: true },
        { from: 'a', to: 'b' },
        { from: 'a', to: 'end' },
        { from: 'b', to: 'end' },
      ],
    };
    expect(graphToTree(skip)).toMatchObject({ ok: false });
  });
});

describe('editing', () => {
  it('inserts into a branch, removes, and finds fresh keys', () => {
    let tree = base([
      {
        type: 'condition',
        key: 'c',
        branches: [
          { condition: 'x > 1', nodes: [] },
          { condition: null, nodes: [] },
        ],
      },
    ]);
    tree = insertNode(tree, [{ block: 'c', branch: 1 }], 0, task(freshKey(tree, 'approval')));
    tree = insertNode(tree, [], 0, task(freshKey(tree, 'approval')));
    expect(edges(treeToGraph(tree))).toEqual([
      'start>approval2',
      'approval2>c',
      'c>end?x > 1',
      'c>approval1!',
      'approval1>end',
    ]);
    tree = removeNode(tree, 'c');
    expect(edges(treeToGraph(tree))).toEqual(['start>approval2', 'approval2>end']);
  });
});

describe('placeIssues', () => {
  it('puts node and edge issues on their cards and the rest aside', () => {
    const tree = base([
      {
        type: 'condition',
        key: 'route',
        branches: [
          { condition: 'nosuch > 3', nodes: [task('head')] },
          { condition: null, nodes: [] },
        ],
      },
      { type: 'parallel', key: 'p', joinKey: 'j', branches: [{ nodes: [] }, { nodes: [] }] },
    ]);
    const issue = (path: (string | number)[]) => ({ path, code: 'x', message: 'x' });
    const placed = placeIssues(tree, [
      issue(['nodes', 2, 'assignees']),
      issue(['edges', 1, 'condition']),
      issue(['nodes', 4]),
      issue(['form']),
    ]);
    expect([...placed.byNode.keys()]).toEqual(['head', 'route', 'p']);
    expect(placed.other).toHaveLength(1);
  });
});

describe('condition rules', () => {
  it('prints and parses simple rules, leaves anything else to raw mode', () => {
    const rules = [
      { field: 'days', op: '>' as const, value: '3' },
      { field: 'leaveType', op: '=' as const, value: "it's" },
    ];
    const text = printRules(rules);
    expect(text).toBe("days > 3 AND leaveType = 'it\\'s'");
    expect(parseRules(text)).toEqual(rules);
    expect(parseRules('days>3')).toBeNull();
    expect(parseRules('days > 3 OR days < 1')).toBeNull();
    expect(parseRules('SUM(items.cost) > 100')).toBeNull();
    expect(parseRules('')).toEqual([]);
  });
});

describe('mixed blocks', () => {
  it('a parallel block inside a condition branch, then a node after the condition', () => {
    const tree = base([
      {
        type: 'condition',
        key: 'c',
        branches: [
          {
            condition: 'amount > 100',
            nodes: [
              { type: 'parallel', key: 'p', joinKey: 'pJoin', branches: [{ nodes: [task('a')] }, { nodes: [] }] },
            ],
          },
          { condition: null, nodes: [task('b')] },
        ],
      },
      task('last'),
    ]);
    const graph = treeToGraph(tree);
    expect(edges(graph)).toEqual([
      'start>c',
      'c>p?amount > 100',
      'p>a',
      'a>pJoin',
      'p>pJoin',
      'c>b!',
      'pJoin>last',
      'b>last',
      'last>end',
    ]);
    expect(graphToTree(graph)).toEqual({ ok: true, tree });
  });
});
