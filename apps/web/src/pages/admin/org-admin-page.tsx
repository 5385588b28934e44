import {
  ApartmentOutlined,
  BankOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  StopOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Table,
  type TableColumnsType,
  Tag,
  Tree,
  type TreeDataNode,
  type TreeProps,
} from 'antd';
import { type Key, useCallback, useEffect, useMemo, useState } from 'react';
import {
  type DepartmentDetail,
  type DepartmentNode,
  type Level,
  type Member,
  type MemberPage,
  orgApi,
  type Post,
  type Unit,
} from '../../api/org.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Translate, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { MemberEditor } from './member-editor.tsx';
import { ContactItems, FormDialog, PostAndLevelItems, RequiredText } from './org-form.tsx';
import { revealWhenStacked } from './org-lists.tsx';
import { blankToNull, errorText } from './org-pickers.tsx';
import { matchesText } from './org-search.ts';

const PAGE_SIZE = 20;

type Indexed = { node: DepartmentNode; path: string[] };

/** Every department by id, with the names from the root down to it. */
function indexTree(roots: DepartmentNode[]): Map<string, Indexed> {
  const index = new Map<string, Indexed>();
  const walk = (nodes: DepartmentNode[], path: string[]) => {
    for (const node of nodes) {
      const own = [...path, node.name];
      index.set(node.id, { node, path: own });
      walk(node.children, own);
    }
  };
  walk(roots, []);
  return index;
}

function matches(node: DepartmentNode, query: string): boolean {
  return matchesText(query, node.name, node.code);
}

/** Keeps matching departments and the branches leading to them; a match keeps its whole sub-tree. */
function filterTree(nodes: DepartmentNode[], query: string): DepartmentNode[] {
  const kept: DepartmentNode[] = [];
  for (const node of nodes) {
    if (matches(node, query)) kept.push(node);
    else {
      const children = filterTree(node.children, query);
      if (children.length > 0) kept.push({ ...node, children });
    }
  }
  return kept;
}

function branchKeys(nodes: DepartmentNode[]): string[] {
  return nodes.flatMap((node) => (node.children.length > 0 ? [node.id, ...branchKeys(node.children)] : []));
}

function isInside(index: Map<string, Indexed>, id: string, ancestorId: string): boolean {
  let current: string | null | undefined = id;
  while (current) {
    if (current === ancestorId) return true;
    current = index.get(current)?.node.parentId;
  }
  return false;
}

/** Tree keys of unit nodes: units group the departments but are not departments themselves. */
const UNIT_KEY = 'unit:';
const isUnitKey = (key: Key) => String(key).startsWith(UNIT_KEY);

/** Departments under their units (单位), in the units' order; without units, the bare forest. */
function groupByUnit(units: Unit[] | undefined, nodes: DepartmentNode[], t: Translate): TreeDataNode[] {
  if (!units || units.length === 0) return toTreeData(nodes, t);
  return units
    .map((unit) => ({ unit, children: nodes.filter((node) => node.unitId === unit.id) }))
    .filter(({ children }) => children.length > 0)
    .map(({ unit, children }) => ({
      key: `${UNIT_KEY}${unit.id}`,
      selectable: false,
      className: 'org-tree-unit',
      title: (
        <span className="org-tree-title">
          <BankOutlined aria-hidden /> <span className="org-tree-name org-tree-unit-name">{unit.name}</span>
        </span>
      ),
      children: toTreeData(children, t),
    }));
}

function toTreeData(nodes: DepartmentNode[], t: Translate): TreeDataNode[] {
  return nodes.map((node) => ({
    key: node.id,
    title: (
      <span className="org-tree-title">
        <span className="org-tree-name">{node.name}</span>
        <span className="org-tree-code">{node.code}</span>
        {!node.enabled && <Tag className="org-tree-tag">{t('org.disabled')}</Tag>}
      </span>
    ),
    children: toTreeData(node.children, t),
  }));
}

export function OrgAdminPage() {
  const t = useT();
  const session = useSession();
  const { message, modal } = App.useApp();
  const canWrite = hasPermission(session, 'org.write');
  useDocumentTitle(t('org.title'));

  const [roots, setRoots] = useState<DepartmentNode[]>();
  const [units, setUnits] = useState<Unit[]>();
  const [loadError, setLoadError] = useState<string>();
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [selectedId, setSelectedId] = useState<string>();
  // Bumped after every change, so the details and the member list fetch again.
  const [revision, setRevision] = useState(0);

  const loadTree = useCallback(async () => {
    try {
      const items = await orgApi.tree();
      setRoots(items);
      setLoadError(undefined);
      return items;
    } catch (error) {
      setLoadError(errorText(error, t));
      return undefined;
    }
  }, [t]);

  useEffect(() => {
    orgApi.units().then(
      (items) => {
        setUnits(items);
        setExpanded((keys) => [...items.map((unit) => `${UNIT_KEY}${unit.id}`), ...keys]);
      },
      () => setUnits([]),
    );
  }, []);

  useEffect(() => {
    void loadTree().then((items) => {
      if (!items) return;
      setExpanded((keys) => [...keys, ...items.map((node) => node.id)]);
      setSelectedId((current) => current ?? items[0]?.id);
    });
  }, [loadTree]);

  const unitKeys = useMemo(() => (units ?? []).map((unit) => `${UNIT_KEY}${unit.id}`), [units]);
  const unitNames = useMemo(() => new Map((units ?? []).map((unit) => [unit.id, unit.name])), [units]);

  const index = useMemo(() => indexTree(roots ?? []), [roots]);
  const query = search.trim();
  const shown = useMemo(() => (query ? filterTree(roots ?? [], query) : (roots ?? [])), [roots, query]);
  const treeData = useMemo(() => groupByUnit(units, shown, t), [units, shown, t]);

  /** Searching opens every branch that leads to a match; clearing it shows the top levels again. */
  function changeSearch(value: string) {
    setSearch(value);
    const q = value.trim();
    if (q) setExpanded([...unitKeys, ...branchKeys(filterTree(roots ?? [], q))]);
    else {
      const keep = new Set<Key>([...unitKeys, ...(roots ?? []).map((node) => node.id)]);
      for (let id = selectedId ? index.get(selectedId)?.node.parentId : null; id; id = index.get(id)?.node.parentId) {
        keep.add(id);
      }
      setExpanded([...keep]);
    }
  }

  const changed = useCallback(async () => {
    await loadTree();
    setRevision((value) => value + 1);
  }, [loadTree]);

  const move = useCallback(
    (id: string, parentId: string | null) => {
      const moving = index.get(id);
      if (!moving) return;
      const target = parentId ? index.get(parentId) : undefined;
      modal.confirm({
        title: t('org.moveConfirmTitle'),
        content: target
          ? t('org.moveConfirm', { name: moving.node.name, target: target.path.join(' / ') })
          : t('org.moveConfirmTop', { name: moving.node.name }),
        okText: t('org.move'),
        cancelText: t('common.cancel'),
        onOk: async () => {
          try {
            await orgApi.moveDepartment(id, { parentId, version: moving.node.version });
            message.success(t('org.moved', { name: moving.node.name }));
            if (parentId) setExpanded((keys) => (keys.includes(parentId) ? keys : [...keys, parentId]));
            await changed();
          } catch (error) {
            message.error(errorText(error, t));
          }
        },
      });
    },
    [index, modal, message, t, changed],
  );

  const onDrop: TreeProps['onDrop'] = (info) => {
    const id = String(info.dragNode.key);
    const dropId = String(info.node.key);
    const moving = index.get(id)?.node;
    if (!moving) return;
    let parentId: string | null;
    if (isUnitKey(dropId)) {
      // Onto a unit: a top-level department of it; departments do not change units by moving.
      if (dropId !== `${UNIT_KEY}${moving.unitId}`) {
        message.error(t('org.crossUnit'));
        return;
      }
      parentId = null;
    } else {
      // Onto a department: becomes its child. Into the gap beside it: becomes its sibling.
      parentId = info.dropToGap ? (index.get(dropId)?.node.parentId ?? null) : dropId;
      const targetUnit = index.get(dropId)?.node.unitId;
      if (targetUnit && targetUnit !== moving.unitId) {
        message.error(t('org.crossUnit'));
        return;
      }
    }
    const current = moving.parentId;
    if (parentId === current) {
      message.info(t('org.sameParent'));
      return;
    }
    if (parentId && isInside(index, parentId, id)) {
      message.error(t('org.cycle'));
      return;
    }
    move(id, parentId);
  };

  return (
    <>
      <PageHeader title={t('org.title')} description={t('org.description')} />
      <div className="org-layout">
        <Card className="org-tree-card" title={t('org.departments')} size="small">
          <Input.Search
            className="org-tree-search"
            placeholder={t('org.searchDepartments')}
            aria-label={t('org.searchDepartments')}
            allowClear
            value={search}
            onChange={(event) => changeSearch(event.target.value)}
            onSearch={(value) => {
              const first = value.trim() ? filterTree(roots ?? [], value.trim())[0] : undefined;
              // Enter selects the first match, so the keyboard alone gets to a department.
              if (first) {
                const find = (node: DepartmentNode): DepartmentNode =>
                  matches(node, value.trim()) ? node : find(node.children[0] as DepartmentNode);
                setSelectedId(find(first).id);
              }
            }}
          />
          {loadError ? (
            <p role="alert" className="org-error">
              {loadError}
            </p>
          ) : !roots ? (
            <Skeleton active />
          ) : treeData.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.noMatch')} />
          ) : (
            <div className="org-tree-scroll">
              <Tree
                className="org-tree"
                treeData={treeData}
                blockNode
                showLine
                draggable={canWrite ? { icon: false, nodeDraggable: (node) => !isUnitKey(node.key) } : false}
                allowDrop={({ dropNode, dropPosition }) => !isUnitKey(dropNode.key) || dropPosition === 0}
                expandedKeys={expanded}
                onExpand={setExpanded}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => {
                  if (keys[0] === undefined || isUnitKey(keys[0])) return;
                  setSelectedId(String(keys[0]));
                  revealWhenStacked('.org-detail-column');
                }}
                onDrop={onDrop}
              />
            </div>
          )}
          {canWrite && <p className="org-tree-hint">{t('org.dragHint')}</p>}
        </Card>
        <div className="org-detail-column">
          {selectedId && index.get(selectedId) ? (
            <DepartmentPanel
              key={selectedId}
              indexed={index.get(selectedId) as Indexed}
              unitName={unitNames.get((index.get(selectedId) as Indexed).node.unitId)}
              index={index}
              canWrite={canWrite}
              revision={revision}
              onChanged={changed}
              onMove={move}
              onSelect={setSelectedId}
            />
          ) : (
            <Card>
              <Empty description={t('org.pickDepartment')} />
            </Card>
          )}
        </div>
      </div>
    </>
  );
}

type PanelProps = {
  indexed: Indexed;
  unitName: string | undefined;
  index: Map<string, Indexed>;
  canWrite: boolean;
  revision: number;
  onChanged: () => Promise<void>;
  onMove: (id: string, parentId: string | null) => void;
  onSelect: (id: string) => void;
};

type DialogKind = 'addDepartment' | 'rename' | 'move' | 'addMember';

function DepartmentPanel({ indexed, unitName, index, canWrite, revision, onChanged, onMove, onSelect }: PanelProps) {
  const t = useT();
  const { message, modal } = App.useApp();
  const { node } = indexed;
  const [detail, setDetail] = useState<DepartmentDetail>();
  const [dialog, setDialog] = useState<DialogKind>();

  useEffect(() => {
    let cancelled = false;
    void revision;
    orgApi.department(node.id).then(
      (value) => !cancelled && setDetail(value),
      (error: unknown) => !cancelled && message.error(errorText(error, t)),
    );
    return () => {
      cancelled = true;
    };
  }, [node.id, revision, message, t]);

  const none = <span className="text-muted">{t('common.none')}</span>;

  function disable() {
    modal.confirm({
      title: t('org.disableConfirmTitle'),
      content: t('org.disableConfirm', { name: node.name }),
      okText: t('org.disable'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await orgApi.disableDepartment(node.id, { version: detail?.version ?? node.version });
          message.success(t('org.disabledDone', { name: node.name }));
          await onChanged();
        } catch (error) {
          message.error(errorText(error, t));
        }
      },
    });
  }

  return (
    <>
      <Card
        className="org-detail-card"
        title={
          <h2 className="org-detail-title">
            <ApartmentOutlined aria-hidden /> {node.name}
          </h2>
        }
      >
        <p className="org-breadcrumb">{[unitName, ...indexed.path].filter(Boolean).join(' / ')}</p>
        {canWrite && (
          <Flex wrap gap={8} className="org-actions">
            <Button icon={<PlusOutlined aria-hidden />} onClick={() => setDialog('addDepartment')}>
              {t('org.addSub')}
            </Button>
            <Button icon={<EditOutlined aria-hidden />} onClick={() => setDialog('rename')}>
              {t('org.rename')}
            </Button>
            <Button icon={<DragOutlined aria-hidden />} onClick={() => setDialog('move')}>
              {t('org.moveTo')}
            </Button>
            <Button icon={<StopOutlined aria-hidden />} danger disabled={!node.enabled} onClick={disable}>
              {t('org.disable')}
            </Button>
            <Button type="primary" icon={<UserAddOutlined aria-hidden />} onClick={() => setDialog('addMember')}>
              {t('org.addMember')}
            </Button>
          </Flex>
        )}
        {!detail ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : (
          <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}>
            <Descriptions.Item label={t('org.code')}>{detail.code}</Descriptions.Item>
            <Descriptions.Item label={t('org.head')}>{detail.head?.name ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('org.divisionLeaders')}>
              {detail.divisionLeaders.length > 0 ? detail.divisionLeaders.map((p) => p.name).join('、') : none}
            </Descriptions.Item>
            <Descriptions.Item label={t('org.status')}>
              {detail.enabled ? <Tag color="green">{t('org.enabled')}</Tag> : <Tag>{t('org.disabled')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('org.memberCount')}>{detail.memberCount}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <MemberList departmentId={node.id} revision={revision} canWrite={canWrite} onChanged={onChanged} />
      {dialog === 'addDepartment' && (
        <DepartmentDialog
          mode="add"
          parent={node}
          onClose={() => setDialog(undefined)}
          onDone={async (created) => {
            setDialog(undefined);
            await onChanged();
            if (created) onSelect(created);
          }}
        />
      )}
      {dialog === 'rename' && (
        <DepartmentDialog
          mode="rename"
          parent={node}
          version={detail?.version ?? node.version}
          onClose={() => setDialog(undefined)}
          onDone={async () => {
            setDialog(undefined);
            await onChanged();
          }}
        />
      )}
      {dialog === 'move' && (
        <MoveDialog
          node={node}
          index={index}
          onClose={() => setDialog(undefined)}
          onPick={(parentId) => {
            setDialog(undefined);
            onMove(node.id, parentId);
          }}
        />
      )}
      {dialog === 'addMember' && (
        <MemberDialog
          department={node}
          onClose={() => setDialog(undefined)}
          onDone={async () => {
            setDialog(undefined);
            await onChanged();
          }}
        />
      )}
    </>
  );
}

function DepartmentDialog({
  mode,
  parent,
  version,
  onClose,
  onDone,
}: {
  mode: 'add' | 'rename';
  parent: DepartmentNode;
  version?: number;
  onClose: () => void;
  onDone: (createdId?: string) => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; code: string }>();

  async function submit(values: { name: string; code: string }) {
    if (mode === 'add') {
      const created = await orgApi.createDepartment({
        unitId: parent.unitId,
        parentId: parent.id,
        name: values.name.trim(),
        code: values.code.trim(),
      });
      message.success(t('org.created', { name: created.name }));
      await onDone(created.id);
    } else {
      await orgApi.renameDepartment(parent.id, { version: version ?? parent.version, name: values.name.trim() });
      message.success(t('org.renamed', { name: values.name.trim() }));
      await onDone();
    }
  }

  return (
    <FormDialog
      title={mode === 'add' ? t('org.addSubTitle', { name: parent.name }) : t('org.renameTitle', { name: parent.name })}
      form={form}
      fields={['name', 'code']}
      onSubmit={submit}
      onClose={onClose}
      initialValues={mode === 'rename' ? { name: parent.name } : undefined}
    >
      <RequiredText
        name="name"
        label={t('org.departmentName')}
        message={t('org.departmentNameRequired')}
        maxLength={200}
      />
      {mode === 'add' && (
        <RequiredText
          name="code"
          label={t('org.departmentCode')}
          message={t('org.departmentCodeRequired')}
          maxLength={64}
        />
      )}
    </FormDialog>
  );
}

/** The keyboard-friendly way to re-parent a department: pick the new parent from a searchable list. */
function MoveDialog({
  node,
  index,
  onClose,
  onPick,
}: {
  node: DepartmentNode;
  index: Map<string, Indexed>;
  onClose: () => void;
  onPick: (parentId: string) => void;
}) {
  const t = useT();
  const [target, setTarget] = useState<string>();
  const options = [...index.values()]
    .filter(({ node: candidate }) => candidate.unitId === node.unitId && !isInside(index, candidate.id, node.id))
    .filter(({ node: candidate }) => candidate.id !== node.parentId)
    .map(({ node: candidate, path }) => ({ value: candidate.id, label: `${path.join(' / ')} (${candidate.code})` }));
  return (
    <Modal
      open
      title={t('org.moveTitle', { name: node.name })}
      okText={t('common.next')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !target }}
      onOk={() => target && onPick(target)}
      onCancel={onClose}
      destroyOnHidden
    >
      <label className="org-field-label" htmlFor="org-move-target">
        {t('org.newParent')}
      </label>
      <Select
        id="org-move-target"
        className="org-move-select"
        style={{ width: '100%' }}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('org.newParentPlaceholder')}
        options={options}
        value={target}
        onChange={setTarget}
      />
    </Modal>
  );
}

type MemberValues = {
  code: string;
  name: string;
  login: string;
  email?: string;
  phone?: string;
  postId?: string;
  levelId?: string;
};

function MemberDialog({
  department,
  onClose,
  onDone,
}: {
  department: DepartmentNode;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<MemberValues>();
  const [posts, setPosts] = useState<Post[]>([]);
  const [levels, setLevels] = useState<Level[]>([]);

  useEffect(() => {
    orgApi.posts().then(setPosts, () => setPosts([]));
    orgApi.levels().then(setLevels, () => setLevels([]));
  }, []);

  async function submit(values: MemberValues) {
    const created = await orgApi.createMember({
      code: values.code.trim(),
      name: values.name.trim(),
      login: values.login.trim(),
      email: blankToNull(values.email),
      phone: blankToNull(values.phone),
      mainDepartmentId: department.id,
      postId: values.postId ?? null,
      levelId: values.levelId ?? null,
    });
    message.success(t('org.memberCreated', { name: created.name }));
    await onDone();
  }

  return (
    <FormDialog
      title={t('org.addMemberTitle', { name: department.name })}
      form={form}
      fields={['code', 'name', 'login', 'email', 'phone', 'postId', 'levelId']}
      onSubmit={submit}
      onClose={onClose}
      className="org-member-form"
    >
      <RequiredText name="code" label={t('org.memberCode')} message={t('org.memberCodeRequired')} maxLength={64} />
      <RequiredText name="name" label={t('org.memberName')} message={t('org.memberNameRequired')} maxLength={200} />
      <Form.Item
        name="login"
        label={t('org.memberLogin')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('org.memberLoginRequired') }]}
      >
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <ContactItems />
      <PostAndLevelItems
        postOptions={posts.filter((p) => p.enabled).map((p) => ({ value: p.id, label: p.name }))}
        levelOptions={levels.map((l) => ({ value: l.id, label: l.name }))}
      />
    </FormDialog>
  );
}

/** The department's members, a page at a time through the server's cursor. */
function MemberList({
  departmentId,
  revision,
  canWrite,
  onChanged,
}: {
  departmentId: string;
  revision: number;
  canWrite: boolean;
  onChanged: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [editingId, setEditingId] = useState<string>();
  const [search, setSearch] = useState('');
  // cursors[i] opens page i; the first page has none.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<MemberPage>();
  const [loading, setLoading] = useState(false);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let cancelled = false;
    void revision;
    setLoading(true);
    orgApi
      .members({ departmentId, search: search || undefined, cursor, limit: PAGE_SIZE })
      .then(
        (value) => !cancelled && setPage(value),
        (error: unknown) => !cancelled && message.error(errorText(error, t)),
      )
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [departmentId, search, cursor, revision, message, t]);

  const columns: TableColumnsType<Member> = [
    { key: 'code', dataIndex: 'code', title: t('org.memberCode'), width: 110 },
    {
      key: 'name',
      dataIndex: 'name',
      title: t('org.memberName'),
      // Opens the member editor (details for readers, editing for org.write).
      render: (name: string, member) => (
        <Button type="link" className="member-name-link" onClick={() => setEditingId(member.id)}>
          {name}
        </Button>
      ),
    },
    { key: 'login', dataIndex: 'login', title: t('org.memberLogin'), responsive: ['sm'] },
    { key: 'email', dataIndex: 'email', title: t('org.memberEmail'), responsive: ['lg'], ellipsis: true },
    { key: 'phone', dataIndex: 'phone', title: t('org.memberPhone'), responsive: ['md'] },
  ];

  return (
    <Card
      className="org-members-card"
      title={<h2 className="org-detail-title">{t('org.members')}</h2>}
      extra={
        <Input.Search
          className="org-member-search"
          placeholder={t('org.searchMembers')}
          aria-label={t('org.searchMembers')}
          allowClear
          onSearch={(value) => {
            setSearch(value.trim());
            setCursors([undefined]);
          }}
        />
      }
    >
      <Table<Member>
        className="org-members-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={page?.items ?? []}
        loading={loading}
        pagination={false}
        locale={{ emptyText: t('org.noMembers') }}
      />
      <Flex justify="flex-end" align="center" gap={8} className="org-pager">
        <span className="text-muted">{t('org.page', { page: cursors.length })}</span>
        <Button disabled={cursors.length <= 1 || loading} onClick={() => setCursors((list) => list.slice(0, -1))}>
          {t('common.previous')}
        </Button>
        <Button
          disabled={!page?.nextCursor || loading}
          onClick={() => page?.nextCursor && setCursors((list) => [...list, page.nextCursor ?? undefined])}
        >
          {t('common.nextPage')}
        </Button>
      </Flex>
      {editingId && (
        <MemberEditor
          memberId={editingId}
          canWrite={canWrite}
          onClose={() => setEditingId(undefined)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}
