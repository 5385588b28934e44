import { DeleteOutlined, LogoutOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Divider,
  Drawer,
  Empty,
  Flex,
  Form,
  type FormInstance,
  Popconfirm,
  Skeleton,
  Tag,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { type LevelRow, type MemberRecordDetail, orgAdminApi, type PostRow } from '../../api/org-admin.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { ContactItems, FormDialog, PostAndLevelItems, RequiredText, useFormSave } from './org-form.tsx';
import { blankToNull, DepartmentPicker, errorText, MemberPicker, useOrgStructure } from './org-pickers.tsx';
import './org-admin-pages.css';

type Structure = ReturnType<typeof useOrgStructure>;

type PersonalValues = { name: string; email?: string; phone?: string; supervisorId?: string | null };
type PlacementValues = { departmentId: string; postId?: string | null; levelId?: string | null };

/**
 * The member editor: personal data and supervisor override (PATCH), main department, post and level (move),
 * concurrent posts, held roles, and leaving with a successor who takes over what the member holds.
 */
export function MemberEditor({
  memberId,
  canWrite,
  onClose,
  onChanged,
}: {
  memberId: string;
  canWrite: boolean;
  onClose: () => void;
  onChanged: () => void | Promise<void>;
}) {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const { message } = App.useApp();
  const structure = useOrgStructure();
  const [detail, setDetail] = useState<MemberRecordDetail>();
  const [supervisor, setSupervisor] = useState<{ id: string; name: string; code: string } | null>(null);
  const [posts, setPosts] = useState<PostRow[]>([]);
  const [levels, setLevels] = useState<LevelRow[]>([]);
  const [leaving, setLeaving] = useState(false);

  const load = useCallback(async () => {
    try {
      const member = await orgAdminApi.member(memberId);
      setDetail(member);
      if (member.supervisorId) {
        const boss = await orgAdminApi.member(member.supervisorId).catch(() => undefined);
        setSupervisor(boss ? { id: boss.id, name: boss.name, code: boss.code } : null);
      } else setSupervisor(null);
      return member;
    } catch (error) {
      message.error(errorText(error, t));
      return undefined;
    }
  }, [memberId, message, t]);

  useEffect(() => {
    void load();
    // Disabled posts too, so a member still holding one shows its name (it cannot be chosen anew).
    orgAdminApi.posts({ includeDisabled: true }).then(setPosts, () => setPosts([]));
    orgAdminApi.levels().then(setLevels, () => setLevels([]));
  }, [load]);

  const changed = useCallback(async () => {
    await load();
    await onChanged();
  }, [load, onChanged]);

  const active = detail?.status === 'active';
  const editable = canWrite && active;
  const postOptions = useMemo(
    () => posts.map((post) => ({ value: post.id, label: `${post.name}（${post.code}）`, disabled: !post.enabled })),
    [posts],
  );
  const levelOptions = useMemo(() => levels.map((level) => ({ value: level.id, label: level.name })), [levels]);

  return (
    <Drawer
      open
      className="member-editor"
      size={narrow ? '100%' : 560}
      title={
        detail ? (
          <span>
            {detail.name} <span className="orgx-code">{detail.code}</span>{' '}
            {detail.status === 'left' && <Tag>{t('memberEdit.left')}</Tag>}
          </span>
        ) : (
          t('memberEdit.title')
        )
      }
      onClose={onClose}
      destroyOnHidden
    >
      {!detail ? (
        <Skeleton active />
      ) : (
        <>
          {detail.status === 'left' && (
            <Alert
              className="orgx-block"
              type="info"
              showIcon
              title={t('memberEdit.leftAt', {
                date: detail.leftAt ? new Date(detail.leftAt).toLocaleDateString(locale) : '',
              })}
            />
          )}
          <PersonalSection
            key={`p${detail.version}`}
            detail={detail}
            supervisor={supervisor}
            editable={editable}
            onSaved={changed}
          />
          <Divider />
          <PlacementSection
            key={`m${detail.version}`}
            detail={detail}
            structure={structure}
            postOptions={postOptions}
            levelOptions={levelOptions}
            editable={editable}
            onSaved={changed}
          />
          <Divider />
          <ConcurrentSection
            detail={detail}
            structure={structure}
            postOptions={postOptions}
            levelOptions={levelOptions}
            posts={posts}
            levels={levels}
            editable={editable}
            onSaved={changed}
          />
          <Divider />
          <h3 className="orgx-section-title">{t('memberEdit.roles')}</h3>
          {detail.roles.length === 0 ? (
            <p className="text-muted">{t('memberEdit.noRoles')}</p>
          ) : (
            <Flex wrap gap={6} className="member-roles">
              {detail.roles.map((role) => (
                <Tag key={role.assignmentId} color="blue">
                  {locale === 'en-US' && role.nameEn ? role.nameEn : role.name}
                  {role.scopeUnitId && ` · ${structure.unitNames.get(role.scopeUnitId) ?? ''}`}
                  {role.scopeDepartmentId && ` · ${structure.departmentNames.get(role.scopeDepartmentId) ?? ''}`}
                </Tag>
              ))}
            </Flex>
          )}
          {editable && (
            <>
              <Divider />
              <h3 className="orgx-section-title">{t('memberEdit.leave')}</h3>
              <p className="text-muted">{t('memberEdit.leaveHint')}</p>
              <Button danger icon={<LogoutOutlined aria-hidden />} onClick={() => setLeaving(true)}>
                {t('memberEdit.leaveButton')}
              </Button>
            </>
          )}
          {leaving && (
            <LeaveDialog
              detail={detail}
              onClose={() => setLeaving(false)}
              onDone={async () => {
                setLeaving(false);
                await changed();
              }}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

/** One section of the editor, saved on its own: read-only unless `editable`, which also brings its save button. */
function SectionForm<Values>({
  title,
  saveText,
  form,
  editable,
  saving,
  onFinish,
  className,
  initialValues,
  children,
}: {
  title: string;
  saveText: string;
  form: FormInstance<Values>;
  editable: boolean;
  saving: boolean;
  onFinish: (values: Values) => Promise<void>;
  className: string;
  initialValues: Partial<Values>;
  children: ReactNode;
}) {
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      disabled={!editable}
      onFinish={onFinish}
      className={className}
      initialValues={initialValues}
    >
      <h3 className="orgx-section-title">{title}</h3>
      {children}
      {editable && (
        <Button type="primary" htmlType="submit" loading={saving}>
          {saveText}
        </Button>
      )}
    </Form>
  );
}

function PersonalSection({
  detail,
  supervisor,
  editable,
  onSaved,
}: {
  detail: MemberRecordDetail;
  supervisor: { id: string; name: string; code: string } | null;
  editable: boolean;
  onSaved: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PersonalValues>();
  const { saving, save } = useFormSave(form, ['name', 'email', 'phone', 'supervisorId']);

  function submit(values: PersonalValues) {
    return save(async () => {
      const email = blankToNull(values.email);
      const phone = blankToNull(values.phone);
      const supervisorId = values.supervisorId ?? null;
      await orgAdminApi.updateMember(detail.id, {
        version: detail.version,
        name: values.name.trim() !== detail.name ? values.name.trim() : undefined,
        email: email !== detail.email ? email : undefined,
        phone: phone !== detail.phone ? phone : undefined,
        supervisorId: supervisorId !== detail.supervisorId ? supervisorId : undefined,
      });
      message.success(t('memberEdit.saved', { name: values.name.trim() }));
      await onSaved();
    });
  }

  return (
    <SectionForm
      title={t('memberEdit.personal')}
      saveText={t('memberEdit.savePersonal')}
      form={form}
      editable={editable}
      saving={saving}
      onFinish={submit}
      className="member-personal-form"
      initialValues={{
        name: detail.name,
        email: detail.email ?? undefined,
        phone: detail.phone ?? undefined,
        supervisorId: detail.supervisorId,
      }}
    >
      <p className="text-muted member-login">{t('memberEdit.loginIs', { login: detail.login })}</p>
      <RequiredText name="name" label={t('org.memberName')} message={t('org.memberNameRequired')} maxLength={200} />
      <ContactItems />
      <Form.Item name="supervisorId" label={t('memberEdit.supervisor')} extra={t('memberEdit.supervisorHint')}>
        <MemberPicker initial={supervisor} exclude={detail.id} placeholder={t('memberEdit.supervisorNone')} />
      </Form.Item>
    </SectionForm>
  );
}

function PlacementSection({
  detail,
  structure,
  postOptions,
  levelOptions,
  editable,
  onSaved,
}: {
  detail: MemberRecordDetail;
  structure: Structure;
  postOptions: Array<{ value: string; label: string }>;
  levelOptions: Array<{ value: string; label: string }>;
  editable: boolean;
  onSaved: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlacementValues>();
  const { saving, save } = useFormSave(form, ['departmentId', 'postId', 'levelId']);

  async function submit(values: PlacementValues) {
    const postId = values.postId ?? null;
    const levelId = values.levelId ?? null;
    const body = {
      version: detail.version,
      departmentId: values.departmentId !== detail.mainDepartmentId ? values.departmentId : undefined,
      postId: postId !== detail.postId ? postId : undefined,
      levelId: levelId !== detail.levelId ? levelId : undefined,
    };
    if (body.departmentId === undefined && body.postId === undefined && body.levelId === undefined) {
      message.info(t('memberEdit.nothingChanged'));
      return;
    }
    await save(async () => {
      await orgAdminApi.moveMember(detail.id, body);
      message.success(t('memberEdit.placementSaved', { name: detail.name }));
      await onSaved();
    });
  }

  return (
    <SectionForm
      title={t('memberEdit.placement')}
      saveText={t('memberEdit.savePlacement')}
      form={form}
      editable={editable}
      saving={saving}
      onFinish={submit}
      className="member-placement-form"
      initialValues={{ departmentId: detail.mainDepartmentId, postId: detail.postId, levelId: detail.levelId }}
    >
      <Form.Item
        name="departmentId"
        label={t('memberEdit.mainDepartment')}
        rules={[{ required: true, message: t('memberEdit.departmentRequired') }]}
      >
        <DepartmentPicker roots={structure.roots} allowClear={false} />
      </Form.Item>
      <PostAndLevelItems postOptions={postOptions} levelOptions={levelOptions} />
    </SectionForm>
  );
}

function ConcurrentSection({
  detail,
  structure,
  postOptions,
  levelOptions,
  posts,
  levels,
  editable,
  onSaved,
}: {
  detail: MemberRecordDetail;
  structure: Structure;
  postOptions: Array<{ value: string; label: string }>;
  levelOptions: Array<{ value: string; label: string }>;
  posts: PostRow[];
  levels: LevelRow[];
  editable: boolean;
  onSaved: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlacementValues>();
  const [adding, setAdding] = useState(false);
  const { saving, save } = useFormSave(form, ['departmentId', 'postId', 'levelId']);
  const concurrent = detail.placements.filter((placement) => placement.concurrent);
  const postName = (id: string | null) => (id ? posts.find((post) => post.id === id)?.name : undefined);
  const levelName = (id: string | null) => (id ? levels.find((level) => level.id === id)?.name : undefined);

  function add(values: PlacementValues) {
    return save(async () => {
      await orgAdminApi.addConcurrentPost(detail.id, {
        departmentId: values.departmentId,
        postId: values.postId ?? null,
        levelId: values.levelId ?? null,
      });
      message.success(t('memberEdit.concurrentAdded'));
      form.resetFields();
      setAdding(false);
      await onSaved();
    });
  }

  async function remove(departmentId: string, departmentName: string) {
    try {
      await orgAdminApi.removeConcurrentPost(detail.id, departmentId);
      message.success(t('memberEdit.concurrentRemoved', { department: departmentName }));
      await onSaved();
    } catch (error) {
      message.error(errorText(error, t));
    }
  }

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <h3 className="orgx-section-title">{t('memberEdit.concurrent')}</h3>
        {editable && !adding && (
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
            {t('memberEdit.addConcurrent')}
          </Button>
        )}
      </Flex>
      {concurrent.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('memberEdit.noConcurrent')} />
      ) : (
        <ul className="member-concurrent-list">
          {concurrent.map((placement) => (
            <li key={placement.departmentId} className="member-concurrent-item">
              <div className="member-concurrent-text">
                <strong>{placement.departmentName}</strong>
                <span className="text-muted">
                  {[postName(placement.postId), levelName(placement.levelId)].filter(Boolean).join(' · ') ||
                    t('common.none')}
                </span>
              </div>
              {editable && (
                <Popconfirm
                  title={t('memberEdit.removeConcurrentConfirm', { department: placement.departmentName })}
                  okText={t('memberEdit.removeConcurrent')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove(placement.departmentId, placement.departmentName)}
                >
                  <Button
                    size="small"
                    danger
                    type="text"
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('memberEdit.removeConcurrentNamed', { department: placement.departmentName })}
                  />
                </Popconfirm>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={add}
          className="member-concurrent-form orgx-inset"
        >
          <Form.Item
            name="departmentId"
            label={t('memberEdit.concurrentDepartment')}
            rules={[{ required: true, message: t('memberEdit.departmentRequired') }]}
          >
            <DepartmentPicker roots={structure.roots} />
          </Form.Item>
          <PostAndLevelItems postOptions={postOptions} levelOptions={levelOptions} />
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('memberEdit.addConcurrent')}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
          </Flex>
        </Form>
      )}
    </>
  );
}

function LeaveDialog({
  detail,
  onClose,
  onDone,
}: {
  detail: MemberRecordDetail;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ successorId?: string | null }>();

  async function submit(values: { successorId?: string | null }) {
    const result = await orgAdminApi.memberLeaves(detail.id, {
      version: detail.version,
      successorId: values.successorId ?? null,
    });
    const handed =
      result.headships.length +
      result.divisionLeaderships.length +
      result.roleAssignments.length +
      result.supervised.length;
    message.success(t('memberEdit.leftDone', { name: detail.name, count: handed }));
    await onDone();
  }

  return (
    <FormDialog
      title={t('memberEdit.leaveTitle', { name: detail.name })}
      okText={t('memberEdit.leaveConfirm')}
      danger
      form={form}
      fields={['successorId']}
      onSubmit={submit}
      onClose={onClose}
      intro={
        <>
          <p>{t('memberEdit.leaveExplain')}</p>
          {detail.roles.length > 0 && (
            <Alert
              className="orgx-block"
              type="warning"
              showIcon
              title={t('memberEdit.leaveHoldsRoles', { count: detail.roles.length })}
            />
          )}
        </>
      }
    >
      <Form.Item name="successorId" label={t('memberEdit.successor')} extra={t('memberEdit.successorHint')}>
        <MemberPicker exclude={detail.id} />
      </Form.Item>
    </FormDialog>
  );
}
