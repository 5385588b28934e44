import {
  BranchesOutlined,
  CheckCircleOutlined,
  DeleteOutlined,
  ForkOutlined,
  NotificationOutlined,
  PlusOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Dropdown, Flex, Input, Result, Select, Skeleton, Tabs, Tag } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { flowsApi } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { formsApi } from '../../form-runtime/api.ts';
import { type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { VersionTable } from '../designer-common/draft-parts.tsx';
import { useBaseline } from '../designer-common/use-baseline.ts';
import { useLoad } from '../records/use-form-definition.ts';
import { type FlowRegistries, type FlowVersion, flowDesignApi } from './flow-design-api.ts';
import { BranchDrawer, IssueList, NodeDrawer } from './node-drawer.tsx';
import {
  type ChainPath,
  emptyTree,
  type FlowTree,
  freshKey,
  graphToTree,
  type Issue,
  insertNode,
  type Label,
  placeIssues,
  removeNode,
  type TaskNode,
  type TreeNode,
  treeToGraph,
  updateNode,
} from './tree-model.ts';
import './flow-design.css';

type Meta = { pack: string; key: string; name: Label; category?: string; form: { pack: string; key: string } } & Record<
  string,
  unknown
>;

type Selected = { kind: 'node'; key: string } | { kind: 'branch'; block: string; branch: number } | null;

type Ops = {
  insert: (path: ChainPath, index: number, type: 'approval' | 'notify' | 'condition' | 'parallel') => void;
  remove: (key: string) => void;
  select: (selected: Selected) => void;
  addBranch: (block: string) => void;
  removeBranch: (block: string, branch: number) => void;
  issues: Map<string, Issue[]>;
  readOnly: boolean;
  locale: string;
};

function summary(node: TaskNode, t: ReturnType<typeof useT>): string {
  const specs = (node.options.assignees as { source: string }[] | undefined) ?? [];
  if (node.kind === 'start') return t('flowDesign.card.start');
  if (node.kind === 'end') return t('flowDesign.card.end');
  if (specs.length === 0) return t('flowDesign.card.noAssignee');
  return specs.map((spec) => t(`flowDesign.source.${spec.source}` as MessageKey)).join('、');
}

function AddButton({ ops, path, index }: { ops: Ops; path: ChainPath; index: number }) {
  const t = useT();
  if (ops.readOnly) return <div className="flow-design-line" />;
  const items = (['approval', 'notify', 'condition', 'parallel'] as const).map((type) => ({
    key: type,
    label: t(`flowDesign.add.${type}` as MessageKey),
    icon:
      type === 'approval' ? (
        <UserOutlined aria-hidden />
      ) : type === 'notify' ? (
        <NotificationOutlined aria-hidden />
      ) : type === 'condition' ? (
        <BranchesOutlined aria-hidden />
      ) : (
        <ForkOutlined aria-hidden />
      ),
  }));
  return (
    <div className="flow-design-line">
      <Dropdown menu={{ items, onClick: ({ key }) => ops.insert(path, index, key as 'approval') }} trigger={['click']}>
        <Button
          shape="circle"
          size="small"
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          aria-label={t('flowDesign.insert')}
          className="flow-design-add"
        />
      </Dropdown>
    </div>
  );
}

function NodeCard({ node, ops, removable }: { node: TaskNode; ops: Ops; removable: boolean }) {
  const t = useT();
  const issues = ops.issues.get(node.key);
  return (
    <Card
      size="small"
      className={`flow-design-card flow-design-card-${node.kind}${issues ? ' flow-design-card-invalid' : ''}`}
      data-node={node.key}
      hoverable
      onClick={() => ops.select({ kind: 'node', key: node.key })}
      title={node.name ? pickLabel(node.name, ops.locale) : node.key}
      extra={
        removable && !ops.readOnly ? (
          <Button
            type="text"
            size="small"
            aria-label={t('flowDesign.remove')}
            icon={<DeleteOutlined aria-hidden />}
            onClick={(e) => {
              e.stopPropagation();
              ops.remove(node.key);
            }}
          />
        ) : null
      }
    >
      <div className="flow-design-card-body">{summary(node, t)}</div>
      {issues && (
        <div className="flow-design-card-issues" role="alert">
          {issues.map((issue) => (
            <div key={`${issue.path.join('.')}:${issue.code}`}>{issue.message}</div>
          ))}
        </div>
      )}
    </Card>
  );
}

function Chain({ items, path, ops }: { items: TreeNode[]; path: ChainPath; ops: Ops }) {
  return (
    <>
      {items.map((item, index) => (
        <Flex vertical align="center" key={item.key}>
          <AddButton ops={ops} path={path} index={index} />
          {item.type === 'task' ? (
            <NodeCard node={item} ops={ops} removable />
          ) : (
            <Block block={item} path={path} ops={ops} />
          )}
        </Flex>
      ))}
      <AddButton ops={ops} path={path} index={items.length} />
    </>
  );
}

function Block({ block, path, ops }: { block: Exclude<TreeNode, TaskNode>; path: ChainPath; ops: Ops }) {
  const t = useT();
  const issues = ops.issues.get(block.key);
  const isCondition = block.type === 'condition';
  return (
    <div className={`flow-design-block${issues ? ' flow-design-block-invalid' : ''}`} data-node={block.key}>
      <Flex justify="center" gap={8} className="flow-design-block-head">
        <Tag color={isCondition ? 'orange' : 'blue'}>
          {block.name
            ? pickLabel(block.name, ops.locale)
            : t(isCondition ? 'flowDesign.add.condition' : 'flowDesign.add.parallel')}
        </Tag>
        {!ops.readOnly && (
          <>
            <Button size="small" onClick={() => ops.addBranch(block.key)}>
              {t(isCondition ? 'flowDesign.addCondition' : 'flowDesign.addBranch')}
            </Button>
            <Button
              size="small"
              aria-label={t('flowDesign.removeBlock')}
              icon={<DeleteOutlined aria-hidden />}
              onClick={() => ops.remove(block.key)}
            />
          </>
        )}
      </Flex>
      {issues && (
        <div className="flow-design-card-issues" role="alert">
          {issues.map((issue) => (
            <div key={`${issue.path.join('.')}:${issue.code}`}>{issue.message}</div>
          ))}
        </div>
      )}
      <div className="flow-design-branches">
        {block.branches.map((branch, index) => {
          const condition = block.type === 'condition' ? block.branches[index]?.condition : undefined;
          const isElse = block.type === 'condition' && condition === null;
          const title = isElse
            ? t('flowDesign.branch.else')
            : block.type === 'condition'
              ? t('flowDesign.branch.condition', { n: index + 1 })
              : t('flowDesign.branch.parallel', { n: index + 1 });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: branches have no identity but their position
            <Flex vertical align="center" className="flow-design-branch" key={index}>
              <Card
                size="small"
                className="flow-design-card flow-design-branch-card"
                data-branch={`${block.key}.${index}`}
                hoverable={block.type === 'condition' && !isElse}
                onClick={() => {
                  if (block.type === 'condition' && !isElse)
                    ops.select({ kind: 'branch', block: block.key, branch: index });
                }}
                title={title}
                extra={
                  !ops.readOnly && !isElse && block.branches.length > 2 ? (
                    <Button
                      type="text"
                      size="small"
                      aria-label={t('flowDesign.removeBranch')}
                      icon={<DeleteOutlined aria-hidden />}
                      onClick={(e) => {
                        e.stopPropagation();
                        ops.removeBranch(block.key, index);
                      }}
                    />
                  ) : null
                }
              >
                <div className="flow-design-card-body">
                  {block.type === 'condition'
                    ? isElse
                      ? t('flowDesign.branch.elseHint')
                      : condition || t('flowDesign.branch.noCondition')
                    : t('flowDesign.branch.parallelHint')}
                </div>
              </Card>
              <Chain items={branch.nodes} path={[...path, { block: block.key, branch: index }]} ops={ops} />
            </Flex>
          );
        })}
      </div>
    </div>
  );
}

function newNode(tree: FlowTree, type: 'approval' | 'notify' | 'condition' | 'parallel'): TreeNode {
  const name = (zh: string, en: string) => ({ zh, en });
  if (type === 'approval') {
    return {
      type: 'task',
      key: freshKey(tree, 'approval'),
      kind: 'approval',
      name: name('审批人', 'Approver'),
      options: { assignees: [], mode: 'single', emptyPolicy: 'refuse', dedupe: 'none' },
    };
  }
  if (type === 'notify') {
    return {
      type: 'task',
      key: freshKey(tree, 'notify'),
      kind: 'notify',
      name: name('抄送人', 'Notify'),
      options: { assignees: [] },
    };
  }
  if (type === 'condition') {
    return {
      type: 'condition',
      key: freshKey(tree, 'condition'),
      name: name('条件分支', 'Condition'),
      branches: [
        { condition: '', nodes: [] },
        { condition: null, nodes: [] },
      ],
    };
  }
  const key = freshKey(tree, 'parallel');
  return {
    type: 'parallel',
    key,
    name: name('并行分支', 'Parallel'),
    joinKey: `${key}Join`,
    joinName: name('汇合', 'Join'),
    branches: [{ nodes: [] }, { nodes: [] }],
  };
}

function findNode(tree: FlowTree, key: string): TreeNode | undefined {
  if (tree.start.key === key) return tree.start;
  if (tree.end.key === key) return tree.end;
  const walk = (items: TreeNode[]): TreeNode | undefined => {
    for (const item of items) {
      if (item.key === key) return item;
      if (item.type !== 'task')
        for (const b of item.branches) {
          const found = walk(b.nodes);
          if (found) return found;
        }
    }
    return undefined;
  };
  return walk(tree.nodes);
}

/** The editor itself, once the flow's form is known: tree, drawers, validate and publish. */
function Designer({
  initialMeta,
  initialTree,
  notTree,
  form,
  versions,
  onPublished,
}: {
  initialMeta: Meta;
  initialTree: FlowTree;
  notTree: string | null;
  form: FormDefinition;
  versions: FlowVersion[];
  onPublished: (meta: Meta) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const { message } = App.useApp();
  const [meta, setMeta] = useState(initialMeta);
  const [tree, setTree] = useState(initialTree);
  const [selected, setSelected] = useState<Selected>(null);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const registries = useLoad<FlowRegistries>(() => flowDesignApi.registries(), 'flow-registries');
  const [shapeIssue, setShapeIssue] = useState(notTree);
  const [tab, setTab] = useState('design');
  const readOnly = shapeIssue !== null;
  /** An earlier version into the editor: publishing it makes it the next version (a roll-back). */
  const loadVersion = (version: FlowVersion) => {
    const { nodes, edges, hash: _hash, ...rest } = version.definition as Meta & { nodes: never[]; edges: never[] };
    const result = graphToTree({ nodes, edges });
    setMeta(rest as Meta);
    setTree(result.ok ? result.tree : emptyTree());
    setShapeIssue(result.ok ? null : result.reason);
    setIssues(null);
    setSelected(null);
    setTab('design');
    message.info(t('flowDesign.versionLoaded', { version: version.version }));
  };
  const placed = useMemo(() => placeIssues(tree, issues ?? []), [tree, issues]);

  const definition = useCallback((): Record<string, unknown> => {
    const { nodes, edges } = treeToGraph(tree);
    const { hash: _hash, ...rest } = meta;
    return { ...rest, nodes, edges };
  }, [meta, tree]);
  // Leaving with unpublished changes asks first; a publish makes the current drawing the baseline.
  const current = useMemo(() => JSON.stringify(definition()), [definition]);
  const { markPublished } = useBaseline(current, 'flowDesign', onPublished);

  const edit = (next: FlowTree) => {
    setTree(next);
    setIssues(null);
  };
  const ops: Ops = {
    insert: (path, index, type) => edit(insertNode(tree, path, index, newNode(tree, type))),
    remove: (key) => edit(removeNode(tree, key)),
    select: setSelected,
    addBranch: (blockKey) =>
      edit(
        updateNode(tree, blockKey, (block) => {
          if (block.type === 'condition') {
            const conds = block.branches.filter((b) => b.condition !== null);
            const elses = block.branches.filter((b) => b.condition === null);
            return { ...block, branches: [...conds, { condition: '', nodes: [] }, ...elses] };
          }
          if (block.type === 'parallel') return { ...block, branches: [...block.branches, { nodes: [] }] };
          return block;
        }),
      ),
    removeBranch: (blockKey, branch) =>
      edit(
        updateNode(tree, blockKey, (block) =>
          block.type === 'task'
            ? block
            : ({ ...block, branches: block.branches.filter((_, i) => i !== branch) } as TreeNode),
        ),
      ),
    issues: placed.byNode,
    readOnly,
    locale,
  };

  const validate = async (): Promise<Issue[] | null> => {
    setBusy(true);
    setError(null);
    try {
      const result = await flowDesignApi.validate(definition());
      setIssues(result.issues);
      return result.issues;
    } catch (e) {
      setError(describeApiError(e, t).detail ?? String(e));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    const found = await validate();
    if (found === null || found.length > 0) return;
    setBusy(true);
    try {
      const result = await flowDesignApi.publish(definition());
      message.success(
        result.unchanged
          ? t('flowDesign.unchanged', { version: result.version })
          : t('flowDesign.published', { version: result.version }),
      );
      markPublished(meta);
    } catch (e) {
      setError(describeApiError(e, t).detail ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  const selectedNode = selected?.kind === 'node' ? findNode(tree, selected.key) : undefined;
  const selectedBlock = selected?.kind === 'branch' ? findNode(tree, selected.block) : undefined;
  const branchCondition =
    selected?.kind === 'branch' && selectedBlock?.type === 'condition'
      ? (selectedBlock.branches[selected.branch]?.condition ?? '')
      : null;

  const canvas: ReactNode = (
    <div className="flow-design-canvas">
      <Flex vertical align="center">
        <NodeCard node={tree.start} ops={ops} removable={false} />
        <Chain items={tree.nodes} path={[]} ops={ops} />
        <NodeCard node={tree.end} ops={ops} removable={false} />
      </Flex>
    </div>
  );

  return (
    <Flex vertical gap={12}>
      {shapeIssue && <Alert type="warning" showIcon message={t('flowDesign.readOnly')} description={shapeIssue} />}
      <Card size="small">
        <Flex gap={8} wrap align="center">
          <Input
            aria-label={t('flowDesign.nameZh')}
            addonBefore={t('flowDesign.nameZh')}
            value={meta.name.zh}
            disabled={readOnly}
            onChange={(e) => setMeta({ ...meta, name: { ...meta.name, zh: e.target.value } })}
            style={{ width: 260 }}
          />
          <Input
            aria-label={t('flowDesign.nameEn')}
            addonBefore={t('flowDesign.nameEn')}
            value={meta.name.en}
            disabled={readOnly}
            onChange={(e) => setMeta({ ...meta, name: { ...meta.name, en: e.target.value } })}
            style={{ width: 260 }}
          />
          <Tag>
            {t('flowDesign.formOf')}: {pickLabel(form.label, locale)} ({meta.form.pack}.{meta.form.key})
          </Tag>
          <Flex gap={8} style={{ marginInlineStart: 'auto' }}>
            <Button onClick={validate} loading={busy} disabled={readOnly} icon={<CheckCircleOutlined aria-hidden />}>
              {t('flowDesign.validate')}
            </Button>
            <Button type="primary" onClick={publish} loading={busy} disabled={readOnly}>
              {t('flowDesign.publish')}
            </Button>
          </Flex>
        </Flex>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      {issues !== null &&
        (issues.length === 0 ? (
          <Alert type="success" showIcon message={t('flowDesign.valid')} className="flow-design-valid" />
        ) : (
          <Alert
            type="error"
            showIcon
            className="flow-design-invalid"
            message={t('flowDesign.issueCount', { count: issues.length })}
            description={placed.other.length > 0 ? <IssueList issues={placed.other} /> : undefined}
          />
        ))}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'design', label: t('flowDesign.tab.design'), children: canvas },
          {
            key: 'versions',
            label: t('flowDesign.tab.versions'),
            children: (
              <VersionTable
                kind="flow"
                versions={versions}
                onLoad={loadVersion}
                scroll={false}
                more={{
                  afterPublisher: [
                    { key: 'form', title: t('flowDesign.formVersion'), render: (_, v) => `v${v.formVersion}` },
                    {
                      key: 'nodes',
                      title: t('flowDesign.nodeCount'),
                      render: (_, v) => ((v.definition.nodes as unknown[]) ?? []).length,
                    },
                  ],
                }}
              />
            ),
          },
        ]}
      />
      {selectedNode?.type === 'task' && (
        <NodeDrawer
          node={selectedNode}
          form={form}
          registries={registries.data}
          issues={placed.byNode.get(selectedNode.key)}
          readOnly={readOnly}
          onChange={(node) => edit(updateNode(tree, node.key, () => node))}
          onClose={() => setSelected(null)}
        />
      )}
      {selected?.kind === 'branch' && branchCondition !== null && (
        <BranchDrawer
          title={t('flowDesign.branch.condition', { n: selected.branch + 1 })}
          condition={branchCondition}
          form={form}
          issues={placed.byNode.get(selected.block)}
          readOnly={readOnly}
          onChange={(condition) =>
            edit(
              updateNode(tree, selected.block, (block) =>
                block.type === 'condition'
                  ? {
                      ...block,
                      branches: block.branches.map((b, i) => (i === selected.branch ? { ...b, condition } : b)),
                    }
                  : block,
              ),
            )
          }
          onClose={() => setSelected(null)}
        />
      )}
    </Flex>
  );
}

/** 流程设计 for one flow: /admin/flows/new (pick a flow form) or /admin/flows/:pack/:key (its latest version). */
export function FlowDesignerPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const existing = params.pack && params.key ? { pack: params.pack, key: params.key } : null;
  useDocumentTitle(t('flowDesign.title'));
  const flow = useLoad(async () => {
    if (!existing) return null;
    const [detail, versions] = await Promise.all([
      flowsApi.get(existing.pack, existing.key),
      flowDesignApi.versions(existing.pack, existing.key),
    ]);
    return { detail, versions };
  }, `${existing?.pack}.${existing?.key}`);
  const forms = useLoad(() => formsApi.list(), 'flow-design-forms');
  const known = useLoad(() => (existing ? Promise.resolve([]) : flowsApi.list()), 'flow-design-known');
  const [draft, setDraft] = useState({ form: search.get('form') ?? '', pack: '', key: '', zh: '', en: '' });
  const [chosen, setChosen] = useState<{ meta: Meta; form: FormDefinition } | null>(null);
  const [loadingForm, setLoadingForm] = useState(false);
  useEffect(() => {
    if (draft.form && !draft.pack) setDraft((d) => ({ ...d, pack: d.form.split('.')[0] ?? '' }));
  }, [draft.form, draft.pack]);

  if (existing) {
    if (flow.error) return <Result status="warning" title={describeApiError(flow.error, t).detail} />;
    if (!flow.data) return <Skeleton active />;
    const { detail, versions } = flow.data;
    const def = detail.definition as unknown as Meta & { nodes: never[]; edges: never[] };
    const { nodes, edges, ...meta } = def;
    const result = graphToTree({ nodes, edges });
    return (
      <>
        <PageHeader
          title={t('flowDesign.pageTitle', { name: pickLabel(def.name, locale) })}
          description={`${def.pack}.${def.key} · v${detail.version}`}
        />
        <Designer
          key={detail.version}
          initialMeta={meta}
          initialTree={result.ok ? result.tree : emptyTree()}
          notTree={result.ok ? null : result.reason}
          form={detail.form.definition}
          versions={versions}
          onPublished={() => flow.reload()}
        />
      </>
    );
  }

  if (chosen) {
    return (
      <>
        <PageHeader
          title={t('flowDesign.pageTitle', { name: chosen.meta.name.zh })}
          description={`${chosen.meta.pack}.${chosen.meta.key}`}
        />
        <Designer
          initialMeta={chosen.meta}
          initialTree={emptyTree()}
          notTree={null}
          form={chosen.form}
          versions={[]}
          onPublished={(meta) =>
            navigate(`/admin/flows/${encodeURIComponent(meta.pack)}/${encodeURIComponent(meta.key)}`)
          }
        />
      </>
    );
  }

  const flowForms = (forms.data ?? []).filter((f) => f.kind === 'flow');
  // Publishing under a taken key would silently become that flow's next version: open it instead.
  const taken = (known.data ?? []).some((f) => f.pack === draft.pack && f.key === draft.key);
  const ready =
    !taken && draft.form && /^[a-z][A-Za-z0-9]*$/.test(draft.pack) && /^[a-z][A-Za-z0-9]*$/.test(draft.key) && draft.zh;
  const start = async () => {
    const [pack, key] = draft.form.split('.') as [string, string];
    setLoadingForm(true);
    try {
      const published = await formsApi.get(pack, key);
      setChosen({
        meta: {
          pack: draft.pack,
          key: draft.key,
          name: { zh: draft.zh, en: draft.en || draft.zh },
          form: { pack, key },
        },
        form: published.definition,
      });
    } finally {
      setLoadingForm(false);
    }
  };
  return (
    <>
      <PageHeader title={t('flowDesign.new')} />
      <Card className="flow-design-new">
        <Flex vertical gap={12} style={{ maxWidth: 520 }}>
          <div className="flow-design-field">
            {t('flowDesign.form')}
            <Select
              aria-label={t('flowDesign.form')}
              value={draft.form || undefined}
              onChange={(form) => setDraft({ ...draft, form })}
              options={flowForms.map((f) => ({
                value: `${f.pack}.${f.key}`,
                label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
              }))}
              loading={forms.loading}
              style={{ width: '100%' }}
            />
          </div>
          <Input
            aria-label={t('flowDesign.pack')}
            addonBefore={t('flowDesign.pack')}
            value={draft.pack}
            onChange={(e) => setDraft({ ...draft, pack: e.target.value })}
          />
          <Input
            aria-label={t('flowDesign.key')}
            addonBefore={t('flowDesign.key')}
            value={draft.key}
            onChange={(e) => setDraft({ ...draft, key: e.target.value })}
          />
          <Input
            aria-label={t('flowDesign.nameZh')}
            addonBefore={t('flowDesign.nameZh')}
            value={draft.zh}
            onChange={(e) => setDraft({ ...draft, zh: e.target.value })}
          />
          <Input
            aria-label={t('flowDesign.nameEn')}
            addonBefore={t('flowDesign.nameEn')}
            value={draft.en}
            onChange={(e) => setDraft({ ...draft, en: e.target.value })}
          />
          {taken && (
            <Alert
              type="warning"
              showIcon
              message={t('flowDesign.keyTaken')}
              action={
                <Button size="small" onClick={() => navigate(`/admin/flows/${draft.pack}/${draft.key}`)}>
                  {t('flowDesign.edit')}
                </Button>
              }
            />
          )}
          <Button type="primary" disabled={!ready} loading={loadingForm} onClick={start}>
            {t('flowDesign.startDesign')}
          </Button>
        </Flex>
      </Card>
    </>
  );
}
