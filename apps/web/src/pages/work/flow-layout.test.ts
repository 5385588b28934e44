import { describe, expect, it } from 'vitest';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './flow-layout.ts';

const nodes = (...keys: string[]) => keys.map((key) => ({ key }));
const edges = (...pairs: string[]) =>
  pairs.map((pair) => {
    const [from = '', to = ''] = pair.split('>');
    return { from, to };
  });
const rowOf = (placed: { node: { key: string }; y: number }[], key: string) =>
  Math.round((placed.find((p) => p.node.key === key)?.y ?? -1) / (NODE_HEIGHT + 34));

describe('flow graph layout', () => {
  it('puts a line of nodes in one column, one row each', () => {
    const { placed, width, height } = layoutGraph(
      nodes('start', 'head', 'hr', 'end'),
      edges('start>head', 'head>hr', 'hr>end'),
    );
    expect(placed.map((p) => [p.node.key, p.x, rowOf(placed, p.node.key)])).toEqual([
      ['start', 0, 0],
      ['head', 0, 1],
      ['hr', 0, 2],
      ['end', 0, 3],
    ]);
    expect(width).toBe(NODE_WIDTH);
    expect(height).toBe(4 * NODE_HEIGHT + 3 * 34);
  });

  it('ranks by the longest path, so a join sits below both branches and a skipped branch is not drawn short', () => {
    // start → split → (a → a2 | b) → join → end: the join waits for the longer branch.
    const { placed, width } = layoutGraph(
      nodes('start', 'split', 'a', 'a2', 'b', 'join', 'end'),
      edges('start>split', 'split>a', 'split>b', 'a>a2', 'a2>join', 'b>join', 'join>end'),
    );
    expect(rowOf(placed, 'join')).toBe(4);
    expect(rowOf(placed, 'a')).toBe(rowOf(placed, 'b'));
    const a = placed.find((p) => p.node.key === 'a')?.x ?? 0;
    const b = placed.find((p) => p.node.key === 'b')?.x ?? 0;
    expect(Math.abs(a - b)).toBe(NODE_WIDTH + 16);
    expect(width).toBe(2 * NODE_WIDTH + 16);
    // Single nodes are centred over the two columns.
    expect(placed.find((p) => p.node.key === 'start')?.x).toBe((width - NODE_WIDTH) / 2);
  });

  it('still places every node of a malformed (cyclic) definition', () => {
    const { placed } = layoutGraph(nodes('start', 'x', 'y'), edges('start>x', 'x>y', 'y>x'));
    expect(placed.map((p) => p.node.key).sort()).toEqual(['start', 'x', 'y']);
    expect(new Set(placed.map((p) => p.y)).size).toBe(3);
  });
});
