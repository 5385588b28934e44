// Where each node of a flow graph goes, top to bottom: each node in the row of its longest path from the start
// (definitions are acyclic; returns are actions, not edges), the nodes of a row ordered under their
// predecessors and centred. Pure, so it is tested in Node.

export const NODE_WIDTH = 148;
export const NODE_HEIGHT = 58;
const W = NODE_WIDTH;
const H = NODE_HEIGHT;
const GAP_X = 16;
const GAP_Y = 34;

export type Placed<N> = { node: N; x: number; y: number };
type GraphNode = { key: string };

/** Rows by longest path from the start, then each row ordered by where its predecessors sit. */
export function layoutGraph<N extends GraphNode>(
  nodes: readonly N[],
  edges: readonly { from: string; to: string }[],
): { placed: Placed<N>[]; width: number; height: number } {
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

  const rows: N[][] = [];
  for (const node of nodes) {
    const r = rank.get(node.key) ?? 0;
    rows[r] = [...(rows[r] ?? []), node];
  }
  const column = new Map<string, number>();
  for (const row of rows) {
    if (!row) continue;
    const weight = (node: N) => {
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
  const placed: Placed<N>[] = [];
  rows.forEach((row, r) => {
    for (const node of row ?? []) {
      const c = column.get(node.key) ?? 0;
      placed.push({ node, x: width / 2 + c * (W + GAP_X) - W / 2, y: r * (H + GAP_Y) });
    }
  });
  return { placed, width, height: rows.length * H + Math.max(0, rows.length - 1) * GAP_Y };
}
