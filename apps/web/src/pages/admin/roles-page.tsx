import { EditOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Segmented,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { orgAdminApi, type Role, type RoleHolder, type RoleKind, type RoleScope } from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Translate, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { FormDialog, RequiredText } from './org-form.tsx';
import { CreateButton, EnableToggle, NameWithCode, revealWhenStacked, useLoaded } from './org-lists.tsx';
import {
  blankToNull,
  DepartmentPicker,
  errorText,
  MemberPicker,
  subtreeOf,
  UnitPicker,
  useOrgStructure,
} from './org-pickers.tsx';
import { matchesText } from './org-search.ts';
import './org-admin-pages.css';
import { RolePermissionsCard } from './role-permissions.tsx';

type Structure = ReturnType<typeof useOrgStructure>;
type KindFilter = 'all' | RoleKind;

const allRoles = () => orgAdminApi.roles();

function scopeText(
  t: Translate,
  structure: Structure,
  scope: { unitId: string | null; departmentId: string | null },
): string {
  if (scope.unitId) return t('roles.scopeUnitNamed', { name: structure.unitNames.get(scope.unitId) ?? scope.unitId });
  if (scope.departmentId) {
    const name = structure.departmentNames.get(scope.departmentId) ?? scope.departmentId;
    return t('roles.scopeDepartmentNamed', { name });
  }
  return t('roles.scopeGlobal');
}

function roleScopeText(t: Translate, structure: Structure, role: Role): string {
  if (role.scope === 'unit') return scopeText(t, structure, { unitId: role.scopeId, departmentId: null });
  if (role.scope === 'department') return scopeText(t, structure, { unitId: null, departmentId: role.scopeId });
  return t('roles.scopeGlobal');
}

function KindTag({ kind, t }: { kind: RoleKind; t: Translate }) {
  return kind === 'system' ? (
    <Tag color="purple">{t('roles.kindSystem')}</Tag>
  ) : (
    <Tag color="blue">{t('roles.kindBusiness')}</Tag>
  );
}

/** 角色: system and business roles, their scope, and who holds each (assign and unassign). */
export function RolesPage() {
  const t = useT();
  const locale = useLocale();
  const session = useSession();
  const canWrite = hasPermission(session, 'org.role.write');
  useDocumentTitle(t('roles.title'));
  const structure = useOrgStructure();
  const { data: roles, loading, load } = useLoaded(allRoles);
  const [kind, setKind] = useState<KindFilter>('all');
  const [search, setSearch] = useState('');
  const [selectedId, setSelectedId] = useState<string>();
  const [dialog, setDialog] = useState<'create' | 'edit'>();

  const shown = useMemo(
    () =>
      (roles ?? []).filter(
        (role) => (kind === 'all' || role.kind === kind) && matchesText(search, role.name, role.code, role.nameEn),
      ),
    [roles, kind, search],
  );
  const selected = roles?.find((role) => role.id === selectedId);
  const displayName = (role: Role) => (locale === 'en-US' && role.nameEn ? role.nameEn : role.name);

  function select(id: string) {
    setSelectedId(id);
    revealWhenStacked('.roles-detail-column');
  }

  const columns: TableColumnsType<Role> = [
    {
      key: 'name',
      title: t('roles.name'),
      render: (_, role) => <NameWithCode name={displayName(role)} code={role.code} nameClassName="roles-name" />,
    },
    { key: 'kind', title: t('roles.kind'), width: 90, render: (_, role) => <KindTag kind={role.kind} t={t} /> },
    {
      key: 'scope',
      title: t('roles.scope'),
      responsive: ['sm'],
      ellipsis: true,
      render: (_, role) => roleScopeText(t, structure, role),
    },
    {
      key: 'status',
      title: t('roles.status'),
      width: 80,
      responsive: ['md'],
      render: (_, role) => (role.enabled ? null : <Tag>{t('roles.disabled')}</Tag>),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.description')}
        extra={canWrite && <CreateButton onClick={() => setDialog('create')}>{t('roles.create')}</CreateButton>}
      />
      <div className="orgx-split">
        <Card className="roles-list-card" size="small" title={t('roles.list')}>
          <Flex vertical gap={12}>
            <Segmented<KindFilter>
              block
              value={kind}
              onChange={setKind}
              options={[
                { value: 'all', label: t('roles.kindAll') },
                { value: 'system', label: t('roles.kindSystem') },
                { value: 'business', label: t('roles.kindBusiness') },
              ]}
            />
            <Input.Search
              placeholder={t('roles.search')}
              aria-label={t('roles.search')}
              allowClear
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
            <Table<Role>
              className="roles-table"
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={shown}
              loading={loading || !roles}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
              locale={{ emptyText: t('roles.empty') }}
              rowClassName={(role) => (role.id === selectedId ? 'orgx-row-selected' : '')}
              onRow={(role) => ({
                onClick: () => select(role.id),
                onKeyDown: (event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    select(role.id);
                  }
                },
                tabIndex: 0,
                'aria-selected': role.id === selectedId,
              })}
            />
          </Flex>
        </Card>
        <div className="roles-detail-column">
          {selected ? (
            <RolePanel
              key={selected.id}
              role={selected}
              title={displayName(selected)}
              structure={structure}
              canWrite={canWrite}
              onEdit={() => setDialog('edit')}
              onChanged={load}
            />
          ) : (
            <Card>
              <Empty description={t('roles.pick')} />
            </Card>
          )}
        </div>
      </div>
      {dialog && (
        <RoleDialog
          role={dialog === 'edit' ? selected : undefined}
          structure={structure}
          onClose={() => setDialog(undefined)}
          onDone={async (id) => {
            setDialog(undefined);
            await load();
            if (id) select(id);
          }}
        />
      )}
    </>
  );
}

function RolePanel({
  role,
  title,
  structure,
  canWrite,
  onEdit,
  onChanged,
}: {
  role: Role;
  title: string;
  structure: Structure;
  canWrite: boolean;
  onEdit: () => void;
  onChanged: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const canGrant = hasPermission(useSession(), 'access.rolePermission.write');
  const fetchHolders = useCallback(() => orgAdminApi.roleHolders(role.id), [role.id]);
  const { data: holders, loading, load } = useLoaded(fetchHolders);
  const [assigning, setAssigning] = useState(false);

  async function unassign(holder: RoleHolder) {
    try {
      await orgAdminApi.unassignRole(role.id, holder.assignmentId);
      message.success(t('roles.unassigned', { name: holder.name, role: title }));
      await load();
    } catch (error) {
      message.error(errorText(error, t));
    }
  }

  const columns: TableColumnsType<RoleHolder> = [
    { key: 'code', dataIndex: 'code', title: t('roles.memberCode'), width: 110, responsive: ['sm'] },
    {
      key: 'name',
      title: t('roles.memberName'),
      render: (_, holder) => (
        <>
          {holder.name}
          {holder.status === 'left' && <Tag className="orgx-inline-tag">{t('roles.memberLeft')}</Tag>}
        </>
      ),
    },
    {
      key: 'scope',
      title: t('roles.assignmentScope'),
      ellipsis: true,
      render: (_, holder) =>
        scopeText(t, structure, { unitId: holder.scopeUnitId, departmentId: holder.scopeDepartmentId }),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('roles.actions'),
      width: 90,
      render: (_, holder) => (
        <Popconfirm
          title={t('roles.unassignConfirm', { name: holder.name, role: title })}
          okText={t('roles.unassign')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => unassign(holder)}
        >
          <Button size="small" danger aria-label={t('roles.unassignNamed', { name: holder.name })}>
            {t('roles.unassign')}
          </Button>
        </Popconfirm>
      ),
    });
  }

  return (
    <>
      <Card
        className="roles-detail-card"
        title={
          <h2 className="orgx-card-title">
            <TeamOutlined aria-hidden /> {title}
          </h2>
        }
      >
        {canWrite && (
          <Flex wrap gap={8} className="orgx-actions">
            <Button icon={<EditOutlined aria-hidden />} onClick={onEdit}>
              {t('roles.edit')}
            </Button>
            <EnableToggle
              messages="roles"
              name={title}
              enabled={role.enabled}
              change={(enabled) => orgAdminApi.updateRole(role.id, { version: role.version, enabled })}
              onChanged={onChanged}
            />
          </Flex>
        )}
        <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}>
          <Descriptions.Item label={t('roles.code')}>{role.code}</Descriptions.Item>
          <Descriptions.Item label={t('roles.kind')}>
            <KindTag kind={role.kind} t={t} />
          </Descriptions.Item>
          <Descriptions.Item label={t('roles.nameZh')}>{role.name}</Descriptions.Item>
          <Descriptions.Item label={t('roles.nameEn')}>
            {role.nameEn ?? <span className="text-muted">{t('common.none')}</span>}
          </Descriptions.Item>
          <Descriptions.Item label={t('roles.scope')}>{roleScopeText(t, structure, role)}</Descriptions.Item>
          <Descriptions.Item label={t('roles.status')}>
            {role.enabled ? <Tag color="green">{t('roles.enabled')}</Tag> : <Tag>{t('roles.disabled')}</Tag>}
          </Descriptions.Item>
          {role.description && (
            <Descriptions.Item label={t('roles.descriptionLabel')} span="filled">
              {role.description}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card
        className="roles-holders-card"
        title={<h2 className="orgx-card-title">{t('roles.holders', { count: holders ? holders.length : '…' })}</h2>}
        extra={
          canWrite && (
            <Button
              type="primary"
              icon={<UserAddOutlined aria-hidden />}
              disabled={!role.enabled}
              onClick={() => setAssigning(true)}
            >
              {t('roles.assign')}
            </Button>
          )
        }
      >
        <Table<RoleHolder>
          className="roles-holders-table"
          rowKey="assignmentId"
          size="small"
          columns={columns}
          dataSource={holders ?? []}
          loading={loading || !holders}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
          locale={{ emptyText: t('roles.noHolders') }}
        />
      </Card>
      {canGrant && <RolePermissionsCard role={role} system={role.kind === 'system'} />}
      {assigning && (
        <AssignDialog
          role={role}
          title={title}
          structure={structure}
          onClose={() => setAssigning(false)}
          onDone={async () => {
            setAssigning(false);
            await load();
          }}
        />
      )}
    </>
  );
}

type AssignValues = {
  memberId: string;
  scopeKind: RoleScope;
  scopeUnitId?: string | null;
  scopeDepartmentId?: string | null;
};

function AssignDialog({
  role,
  title,
  structure,
  onClose,
  onDone,
}: {
  role: Role;
  title: string;
  structure: Structure;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const scopeKind = Form.useWatch('scopeKind', form) ?? 'global';
  // A unit-scoped role's holders serve that unit; a department-scoped one's, that department and below.
  const kinds: RoleScope[] = role.scope === 'department' ? ['global', 'department'] : ['global', 'unit', 'department'];
  const unitOfRole = role.scope === 'unit' ? role.scopeId : null;

  async function submit(values: AssignValues) {
    await orgAdminApi.assignRole(role.id, {
      memberId: values.memberId,
      scopeUnitId: values.scopeKind === 'unit' ? (values.scopeUnitId ?? null) : null,
      scopeDepartmentId: values.scopeKind === 'department' ? (values.scopeDepartmentId ?? null) : null,
    });
    message.success(t('roles.assigned', { role: title }));
    await onDone();
  }

  return (
    <FormDialog
      title={t('roles.assignTitle', { role: title })}
      okText={t('roles.assign')}
      form={form}
      fields={['memberId', 'scopeUnitId', 'scopeDepartmentId']}
      onSubmit={submit}
      onClose={onClose}
      initialValues={{ scopeKind: 'global' }}
      className="roles-assign-form"
    >
      <Form.Item
        name="memberId"
        label={t('roles.member')}
        rules={[{ required: true, message: t('roles.memberRequired') }]}
      >
        <MemberPicker />
      </Form.Item>
      <Form.Item name="scopeKind" label={t('roles.assignmentScope')} extra={t('roles.assignmentScopeHint')}>
        <Radio.Group
          options={kinds.map((value) => ({
            value,
            label: t(
              value === 'global'
                ? 'roles.assignEverywhere'
                : value === 'unit'
                  ? 'roles.assignInUnit'
                  : 'roles.assignInDepartment',
            ),
          }))}
        />
      </Form.Item>
      {scopeKind === 'unit' && (
        <Form.Item
          name="scopeUnitId"
          label={t('roles.scopeUnit')}
          rules={[{ required: true, message: t('roles.scopeUnitRequired') }]}
        >
          <UnitPicker units={unitOfRole ? structure.units.filter((u) => u.id === unitOfRole) : structure.units} />
        </Form.Item>
      )}
      {scopeKind === 'department' && (
        <Form.Item
          name="scopeDepartmentId"
          label={t('roles.scopeDepartment')}
          rules={[{ required: true, message: t('roles.scopeDepartmentRequired') }]}
        >
          <DepartmentPicker
            roots={role.scope === 'department' ? subtreeOf(structure.roots, role.scopeId) : structure.roots}
            unitId={unitOfRole}
          />
        </Form.Item>
      )}
    </FormDialog>
  );
}

type RoleValues = {
  code: string;
  name: string;
  nameEn?: string;
  kind: RoleKind;
  scope: RoleScope;
  scopeUnitId?: string | null;
  scopeDepartmentId?: string | null;
  description?: string;
};

function RoleDialog({
  role,
  structure,
  onClose,
  onDone,
}: {
  role: Role | undefined;
  structure: Structure;
  onClose: () => void;
  onDone: (createdId?: string) => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoleValues>();
  const scope = Form.useWatch('scope', form) ?? role?.scope ?? 'global';

  async function submit(values: RoleValues) {
    const scopeId =
      values.scope === 'unit'
        ? (values.scopeUnitId ?? null)
        : values.scope === 'department'
          ? (values.scopeDepartmentId ?? null)
          : null;
    if (role) {
      await orgAdminApi.updateRole(role.id, {
        version: role.version,
        name: values.name.trim(),
        nameEn: blankToNull(values.nameEn),
        scope: values.scope,
        scopeId,
        description: blankToNull(values.description),
      });
      message.success(t('roles.saved', { name: values.name.trim() }));
      await onDone();
    } else {
      const created = await orgAdminApi.createRole({
        code: values.code.trim(),
        name: values.name.trim(),
        nameEn: blankToNull(values.nameEn),
        kind: values.kind,
        scope: values.scope,
        scopeId,
        description: blankToNull(values.description),
      });
      message.success(t('roles.created', { name: created.name }));
      await onDone(created.id);
    }
  }

  const initialValues: Partial<RoleValues> = role
    ? {
        code: role.code,
        name: role.name,
        nameEn: role.nameEn ?? undefined,
        kind: role.kind,
        scope: role.scope,
        scopeUnitId: role.scope === 'unit' ? role.scopeId : undefined,
        scopeDepartmentId: role.scope === 'department' ? role.scopeId : undefined,
        description: role.description ?? undefined,
      }
    : { kind: 'business', scope: 'global' };

  return (
    <FormDialog
      title={role ? t('roles.editTitle', { name: role.name }) : t('roles.createTitle')}
      form={form}
      fields={['code', 'name', 'nameEn', 'kind', 'scope', 'description']}
      onSubmit={submit}
      onClose={onClose}
      initialValues={initialValues}
      className="roles-form"
    >
      <RequiredText
        name="code"
        label={t('roles.code')}
        extra={role ? undefined : t('roles.codeHint')}
        message={t('roles.codeRequired')}
        maxLength={64}
        disabled={Boolean(role)}
        autoComplete="off"
      />
      <RequiredText name="name" label={t('roles.nameZh')} message={t('roles.nameRequired')} maxLength={200} />
      <Form.Item name="nameEn" label={t('roles.nameEn')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label={t('roles.kind')} extra={t('roles.kindHint')}>
        <Radio.Group
          disabled={Boolean(role)}
          options={[
            { value: 'business', label: t('roles.kindBusiness') },
            { value: 'system', label: t('roles.kindSystem') },
          ]}
        />
      </Form.Item>
      <Form.Item name="scope" label={t('roles.scope')}>
        <Radio.Group
          options={[
            { value: 'global', label: t('roles.scopeGlobal') },
            { value: 'unit', label: t('roles.scopeUnit') },
            { value: 'department', label: t('roles.scopeDepartment') },
          ]}
        />
      </Form.Item>
      {scope === 'unit' && (
        <Form.Item
          name="scopeUnitId"
          label={t('roles.scopeUnit')}
          rules={[{ required: true, message: t('roles.scopeUnitRequired') }]}
        >
          <UnitPicker units={structure.units} />
        </Form.Item>
      )}
      {scope === 'department' && (
        <Form.Item
          name="scopeDepartmentId"
          label={t('roles.scopeDepartment')}
          rules={[{ required: true, message: t('roles.scopeDepartmentRequired') }]}
        >
          <DepartmentPicker roots={structure.roots} />
        </Form.Item>
      )}
      <Form.Item name="description" label={t('roles.descriptionLabel')}>
        <Input.TextArea maxLength={2_000} autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
    </FormDialog>
  );
}
