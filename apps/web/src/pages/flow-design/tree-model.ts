// The flow designer edits a tree (DingTalk style: a column of nodes, condition and parallel blocks with branches),
// the engine stores a graph (nodes + edges). This module converts both ways, pure. A graph converts to a tree only
// when the tree converts back to the same graph; anything else (jumps across branches, several ends, a condition
// whose branches never meet) is shown read-only by the page.

export type Label = { zh: string; en: string };

/** Any node that is one card: start, approval, notify, automatic, subflow, end. Options are the kind's own keys. */
export type TaskNode = { type: 'task'; key: string; kind: string; name?: Label; options: Record<string, unknown> };
/** Condition branches in evaluation order; exactly one has `condition: null` (the else) and it is listed last. */
export type ConditionBranch = { condition: string | null; nodes: TreeNode[] };
export type ConditionBlock = { type: 'condition'; key: string; name?: Label; branches: ConditionBranch[] };
export type ParallelBranch = { nodes: TreeNode[] };
export type ParallelBlock = {
  type: 'parallel';
  key: string;
  name?: Label;
  joinKey: string;
  joinName?: Label;
  branches: ParallelBranch[];
};
export type TreeNode = TaskNode | ConditionBlock | ParallelBlock;
export type FlowTree = { start: TaskNode; nodes: TreeNode[]; end: TaskNode };

export type GraphNode = { key: string; kind: string; name?: Label; [option: string]: unknown };
export type GraphEdge = { from: string; to: string; condition?: string; else?: true };
export type Graph = { nodes: GraphNode[]; edges: GraphEdge[] };

/** Where a graph edge came from in the tree: the condition block and branch index, to show its issues there. */
export type EdgeOwner = { blockKey: string; branch: number } | null;

const nodeOf = (key: string, kind: string, name: Label | undefined, options: Record<string, unknown> = {}) => ({
  key,
  kind,
  ...(name ? { name } : {}),
  ...options,
});

/**
 * The graph of a tree, nodes in reading order (start first, end last) and edges with `edgeOwners[i]` naming the
 * condition branch of edge i, so server issues (`nodes.3…`, `edges.2.condition`) can be placed on the cards.
 */
export function treeToGraph(tree: FlowTree): Graph & { edgeOwners: EdgeOwner[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const edgeOwners: EdgeOwner[] = [];
  type Exit = (to: string) => void;
  const edge = (from: string, to: string, extra: Partial<GraphEdge> = {}, owner: EdgeOwner = null) => {
    edges.push({ from, to, ...extra });
    edgeOwners.push(owner);
  };
  // A condition's edges keep the branch order (the engine tries them in order), even when an empty branch's
  // edge is only known once the node after the block is: its slot is taken now and filled then.
  const slot = (from: string, extra: Partial<GraphEdge>, owner: EdgeOwner): Exit => {
    const index = edges.length;
    edges.push({ from, to: '', ...extra });
    edgeOwners.push(owner);
    return (to) => {
      edges[index] = { from, to, ...extra };
    };
  };

  // Emits a chain; returns the keys whose outgoing edge leads to whatever follows the chain.
  // `entry` tells how to connect to the chain's first node (or to what follows, when the chain is empty).
  const chain = (items: TreeNode[], entries: Exit[]): Exit[] => {
    let open = entries;
    for (const item of items) {
      if (item.type === 'task') {
        nodes.push(nodeOf(item.key, item.kind, item.name, item.options));
        for (const connect of open) connect(item.key);
        open = [(to) => edge(item.key, to)];
      } else if (item.type === 'condition') {
        nodes.push(nodeOf(item.key, 'condition', item.name));
        for (const connect of open) connect(item.key);
        open = [];
        item.branches.forEach((branch, index) => {
          const extra: Partial<GraphEdge> =
            branch.condition === null ? { else: true } : { condition: branch.condition };
          const owner = { blockKey: item.key, branch: index };
          open.push(...chain(branch.nodes, [slot(item.key, extra, owner)]));
        });
      } else {
        nodes.push(nodeOf(item.key, 'parallel', item.name));
        for (const connect of open) connect(item.key);
        const ends: Exit[] = [];
        for (const branch of item.branches) ends.push(...chain(branch.nodes, [(to) => edge(item.key, to)]));
        nodes.push(nodeOf(item.joinKey, 'join', item.joinName));
        for (const connect of ends) connect(item.joinKey);
        open = [(to) => edge(item.joinKey, to)];
      }
    }
    return open;
  };

  const startOptions = { ...tree.start.options };
  const exits = chain([{ ...tree.start, options: startOptions }, ...tree.nodes], []);
  nodes.push(nodeOf(tree.end.key, tree.end.kind, tree.end.name, tree.end.options));
  for (const connect of exits) connect(tree.end.key);
  return { nodes, edges, edgeOwners };
}

export type TreeResult = { ok: true; tree: FlowTree } | { ok: false; reason: string };

const taskOf = (node: GraphNode): TaskNode => {
  const { key, kind, name, ...options } = node;
  return { type: 'task', key, kind, ...(name ? { name } : {}), options };
};

class NotATree extends Error {}

/** The tree of a graph, or why the graph has no tree shape (the page then shows it read-only). */
export function graphToTree(graph: Graph): TreeResult {
  try {
    const tree = parse(graph);
    const back = treeToGraph(tree);
    if (!sameGraph(graph, back)) return { ok: false, reason: 'the graph has edges the tree cannot draw' };
    return { ok: true, tree };
  } catch (error) {
    if (error instanceof NotATree) return { ok: false, reason: error.message };
    throw error;
  }
}

function parse(graph: Graph): FlowTree {
  const byKey = new Map(graph.nodes.map((node) => [node.key, node]));
  const out = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const starts = graph.nodes.filter((node) => node.kind === 'start');
  const ends = graph.nodes.filter((node) => node.kind === 'end');
  if (starts.length !== 1) throw new NotATree('a flow has exactly one start');
  if (ends.length !== 1) throw new NotATree('the designer draws flows with one end node');
  const end = ends[0] as GraphNode;

  const reachCache = new Map<string, Set<string>>();
  const reach = (key: string): Set<string> => {
    const cached = reachCache.get(key);
    if (cached) return cached;
    const seen = new Set<string>([key]);
    reachCache.set(key, seen);
    for (const edge of out.get(key) ?? []) for (const next of reach(edge.to)) seen.add(next);
    return seen;
  };
  /** The first node every branch target reaches: where the branches meet again. */
  const meeting = (targets: string[]): string => {
    const sets = targets.map(reach);
    const common = [...(sets[0] ?? [])].filter((key) => sets.every((set) => set.has(key)));
    const first = common.find((key) => common.every((other) => reach(key).has(other)));
    if (!first) throw new NotATree('branches that never meet again');
    return first;
  };
  const visited = new Set<string>();
  const single = (key: string): string => {
    const edges = out.get(key) ?? [];
    if (edges.length !== 1) throw new NotATree(`node ${key} needs exactly one next node`);
    return (edges[0] as GraphEdge).to;
  };

  const chain = (from: string, stop: string): TreeNode[] => {
    const items: TreeNode[] = [];
    let key = from;
    while (key !== stop) {
      if (visited.has(key)) throw new NotATree(`node ${key} is reached twice`);
      visited.add(key);
      const node = byKey.get(key);
      if (!node) throw new NotATree(`no node ${key}`);
      if (node.kind === 'end' || node.kind === 'start' || node.kind === 'join') {
        throw new NotATree(`a ${node.kind} node inside the flow`);
      }
      const edges = out.get(key) ?? [];
      if (node.kind === 'condition') {
        const ordered = [...edges.filter((edge) => !edge.else), ...edges.filter((edge) => edge.else)];
        const meet = meeting(ordered.map((edge) => edge.to));
        items.push({
          type: 'condition',
          key,
          ...(node.name ? { name: node.name } : {}),
          branches: ordered.map((edge) => ({
            condition: edge.else ? null : (edge.condition ?? ''),
            nodes: chain(edge.to, meet),
          })),
        });
        key = meet;
      } else if (node.kind === 'parallel') {
        const meet = meeting(edges.map((edge) => edge.to));
        const join = byKey.get(meet);
        if (join?.kind !== 'join') throw new NotATree(`parallel ${key} does not end in a join`);
        visited.add(meet);
        items.push({
          type: 'parallel',
          key,
          ...(node.name ? { name: node.name } : {}),
          joinKey: meet,
          ...(join.name ? { joinName: join.name } : {}),
          branches: edges.map((edge) => ({ nodes: chain(edge.to, meet) })),
        });
        key = single(meet);
      } else {
        items.push(taskOf(node));
        key = single(key);
      }
    }
    return items;
  };

  const start = starts[0] as GraphNode;
  visited.add(start.key);
  const nodes = chain(single(start.key), end.key);
  return { start: taskOf(start), nodes, end: taskOf(end) };
}

/** JSON with object keys sorted at every depth. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same nodes (any order) and, per source node, the same edges in the same order (else last). */
function sameGraph(a: Graph, b: Graph): boolean {
  const nodes = (graph: Graph) =>
    graph.nodes
      .map((node) => canonical(node))
      .sort()
      .join('\n');
  const edges = (graph: Graph) => {
    const byFrom = new Map<string, string[]>();
    const sorted = [...graph.edges.filter((edge) => !edge.else), ...graph.edges.filter((edge) => edge.else)];
    for (const edge of sorted) {
      const text = `${edge.to}|${edge.condition ?? ''}|${edge.else ? 'else' : ''}`;
      byFrom.set(edge.from, [...(byFrom.get(edge.from) ?? []), text]);
    }
    return [...byFrom.entries()]
      .map(([from, list]) => `${from}:${list.join(',')}`)
      .sort()
      .join('\n');
  };
  return nodes(a) === nodes(b) && edges(a) === edges(b);
}

// ---- editing (immutable) ----

/** Where an insertion goes: into the chain `path` (top level: []), before position `index`. */
export type ChainPath = { block: string; branch: number }[];

function mapChain(items: TreeNode[], path: ChainPath, edit: (chain: TreeNode[]) => TreeNode[]): TreeNode[] {
  if (path.length === 0) return edit(items);
  const [step, ...rest] = path as [ChainPath[number], ...ChainPath];
  return items.map((item) => {
    if (item.type === 'task' || item.key !== step.block) return item;
    const branches = item.branches.map((branch, index) =>
      index === step.branch ? { ...branch, nodes: mapChain(branch.nodes, rest, edit) } : branch,
    );
    return { ...item, branches } as TreeNode;
  });
}

export function insertNode(tree: FlowTree, path: ChainPath, index: number, node: TreeNode): FlowTree {
  return {
    ...tree,
    nodes: mapChain(tree.nodes, path, (chain) => [...chain.slice(0, index), node, ...chain.slice(index)]),
  };
}

function mapAll(items: TreeNode[], edit: (item: TreeNode) => TreeNode[] | TreeNode): TreeNode[] {
  return items.flatMap((item) => {
    const result = edit(item);
    return (Array.isArray(result) ? result : [result]).map((next) =>
      next.type === 'task'
        ? next
        : ({
            ...next,
            branches: next.branches.map((branch) => ({ ...branch, nodes: mapAll(branch.nodes, edit) })),
          } as TreeNode),
    );
  });
}

export function removeNode(tree: FlowTree, key: string): FlowTree {
  return { ...tree, nodes: mapAll(tree.nodes, (item) => (item.key === key ? [] : item)) };
}

export function updateNode(tree: FlowTree, key: string, change: (node: TreeNode) => TreeNode): FlowTree {
  if (tree.start.key === key) return { ...tree, start: change(tree.start) as TaskNode };
  if (tree.end.key === key) return { ...tree, end: change(tree.end) as TaskNode };
  return { ...tree, nodes: mapAll(tree.nodes, (item) => (item.key === key ? change(item) : item)) };
}

/** Every node of the tree, depth first, start and end included. */
export function allNodes(tree: FlowTree): TreeNode[] {
  const list: TreeNode[] = [tree.start];
  const walk = (items: TreeNode[]) => {
    for (const item of items) {
      list.push(item);
      if (item.type !== 'task') for (const branch of item.branches) walk(branch.nodes);
    }
  };
  walk(tree.nodes);
  list.push(tree.end);
  return list;
}

/** A key not yet used in the tree (join keys count). */
export function freshKey(tree: FlowTree, prefix: string): string {
  const used = new Set<string>();
  for (const node of allNodes(tree)) {
    used.add(node.key);
    if (node.type === 'parallel') used.add(node.joinKey);
  }
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A new flow: start straight to end. */
export function emptyTree(): FlowTree {
  return {
    start: { type: 'task', key: 'start', kind: 'start', name: { zh: '发起人', en: 'Initiator' }, options: {} },
    nodes: [],
    end: { type: 'task', key: 'end', kind: 'end', name: { zh: '结束', en: 'End' }, options: {} },
  };
}

// ---- server issues on the cards ----

export type Issue = { path: ReadonlyArray<string | number>; code: string; message: string };
export type PlacedIssues = { byNode: Map<string, Issue[]>; other: Issue[] };

/**
 * Puts each issue of `POST /api/flows/validate` on the card it is about: `nodes.i…` on node i of the graph (a
 * join's on its parallel block), `edges.i…` on the condition block the edge leaves (or the node it leaves).
 */
export function placeIssues(tree: FlowTree, issues: Issue[]): PlacedIssues {
  const graph = treeToGraph(tree);
  const joinOwner = new Map<string, string>();
  for (const node of allNodes(tree)) if (node.type === 'parallel') joinOwner.set(node.joinKey, node.key);
  const byNode = new Map<string, Issue[]>();
  const other: Issue[] = [];
  const put = (key: string | undefined, issue: Issue) => {
    if (key === undefined) other.push(issue);
    else byNode.set(key, [...(byNode.get(key) ?? []), issue]);
  };
  for (const issue of issues) {
    const [head, index] = issue.path;
    if (head === 'nodes' && typeof index === 'number') {
      const key = graph.nodes[index]?.key;
      put(key === undefined ? undefined : (joinOwner.get(key) ?? key), issue);
    } else if (head === 'edges' && typeof index === 'number') {
      put(graph.edgeOwners[index]?.blockKey ?? graph.edges[index]?.from, issue);
    } else other.push(issue);
  }
  return { byNode, other };
}
