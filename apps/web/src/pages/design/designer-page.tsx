import {
  CheckCircleOutlined,
  CloudUploadOutlined,
  DatabaseOutlined,
  ExclamationCircleOutlined,
  LoadingOutlined,
} from '@ant-design/icons';
import { App, Button, Flex, Popover, Result, Skeleton, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError, type ProblemField } from '../../api/client.ts';
import { describeApiError, useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { findWebFieldType } from '../../field-types/registry.ts';
import { formsApi } from '../../form-runtime/api.ts';
import { registrySemantics } from '../../form-runtime/semantics.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useHandOver, useLeaveGuard } from '../designer-common/use-baseline.ts';
import { Canvas, type CanvasOps } from './canvas.tsx';
import { designApi, type PublishPlan } from './design-api.ts';
import {
  addColumn,
  addField,
  addSection,
  addSubtable,
  type Draft,
  draftFromDefinition,
  emptyDraft,
  findColumn,
  findField,
  findSubtable,
  moveItem,
  type NewField,
  type Place,
  placeOf,
  removeColumn,
  removeItem,
  removeSection,
  stepColumn,
  stepItem,
  stepSection,
  type Target,
  toDefinition,
  updateColumn,
  updateField,
  updateItem,
  updateSection,
  updateSubtable,
} from './draft.ts';
import { schemaOf } from './expression.ts';
import { type IssueMap, issueText, mapIssues } from './issues.ts';
import { Palette, SUBTABLE } from './palette.tsx';
import { DesignPreview } from './preview.tsx';
import { type PanelOps, PropertyPanel } from './property-panel.tsx';
import { PublishDialog } from './publish-dialog.tsx';
import './designer.css';

type Check =
  | { status: 'checking' }
  | { status: 'ok'; plan: PublishPlan }
  | { status: 'invalid'; fields: readonly ProblemField[]; paths: ReadonlyMap<string, Target> }
  | { status: 'error'; error: unknown };

const CHECK_DELAY_MS = 400;

function newFieldOf(type: string): NewField {
  const web = findWebFieldType(type);
  const config = web.design.config?.();
  return { type, label: web.design.label, ...(config ? { config } : {}), span: web.span ?? 12 };
}

/**
 * Asks the server about the draft after each pause in editing: POST /api/forms/preview validates it with the
 * rules it publishes with (every issue with its path) and plans its migration.
 */
function useServerCheck(draftDefinition: ReturnType<typeof toDefinition> | undefined): Check | undefined {
  const [check, setCheck] = useState<Check>();
  useEffect(() => {
    if (!draftDefinition) return;
    const controller = new AbortController();
    setCheck((current) => (current?.status === 'invalid' ? current : { status: 'checking' }));
    const timer = setTimeout(() => {
      designApi.preview(draftDefinition.definition, controller.signal).then(
        (plan) => setCheck({ status: 'ok', plan }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (isApiError(error) && error.code === 'FORM_DEFINITION_INVALID') {
            setCheck({ status: 'invalid', fields: error.fields, paths: draftDefinition.paths });
          } else setCheck({ status: 'error', error });
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [draftDefinition]);
  return check;
}

export function DesignerPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notice = useApiErrorNotice();
  const params = useParams();
  const existing = params.pack && params.key ? { pack: params.pack, key: params.key } : undefined;

  const [draft, setDraft] = useState<Draft>();
  const [baseline, setBaseline] = useState<string>();
  const [loadError, setLoadError] = useState<unknown>();
  const [selection, setSelection] = useState<Target>({ kind: 'form' });
  const [tab, setTab] = useState('design');
  const [plan, setPlan] = useState<PublishPlan>();
  const [busy, setBusy] = useState<'plan' | 'publish'>();
  const [reloads, setReloads] = useState(0);

  // Load: the latest published definition becomes the draft; a new form starts with one empty section.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` asks for the same form again after a publish
  useEffect(() => {
    let alive = true;
    setLoadError(undefined);
    if (!existing) {
      const fresh = emptyDraft({ zh: '新表单', en: 'New form' }, { zh: '基本信息', en: 'Basics' });
      setDraft(fresh);
      setBaseline(JSON.stringify(toDefinition(fresh).definition));
      setSelection({ kind: 'form' });
      return;
    }
    formsApi.get(existing.pack, existing.key).then(
      (form) => {
        if (!alive) return;
        const loaded = draftFromDefinition(
          form.definition,
          form.version,
          (field) => findWebFieldType(field.type).span ?? 12,
        );
        setDraft(loaded);
        setBaseline(JSON.stringify(toDefinition(loaded).definition));
        setSelection({ kind: 'form' });
      },
      (error: unknown) => alive && setLoadError(error),
    );
    return () => {
      alive = false;
    };
  }, [existing?.pack, existing?.key, reloads]);

  const compiled = useMemo(() => (draft ? toDefinition(draft) : undefined), [draft]);
  const schema = useMemo(() => (compiled ? schemaOf(compiled.definition, registrySemantics) : undefined), [compiled]);
  const check = useServerCheck(compiled);
  const issues: IssueMap = useMemo(
    () => (check?.status === 'invalid' ? mapIssues(check.fields, check.paths) : new Map()),
    [check],
  );
  const issueCount = check?.status === 'invalid' ? check.fields.length : 0;
  const dirty = compiled !== undefined && baseline !== undefined && JSON.stringify(compiled.definition) !== baseline;

  useLeaveGuard(dirty, 'design');
  // A new form (or a new key) moves to its address once the published draft is the baseline.
  const goTo = useHandOver(
    dirty,
    useCallback((path: string) => navigate(path, { replace: true }), [navigate]),
  );

  const title = draft ? pickLabel(draft.label, locale) || t('design.untitled') : t('design.title');
  useDocumentTitle(t('design.pageTitle', { name: title }));

  const change = useCallback((fn: (d: Draft) => Draft) => setDraft((d) => (d ? fn(d) : d)), []);
  const selectionRef = useRef(selection);
  selectionRef.current = selection;

  // Where a palette entry pressed from the keyboard goes: after the selected item, into the selected section,
  // or at the end of the last section.
  const placeForNew = (d: Draft): Place => {
    const current = selectionRef.current;
    if (current.kind === 'field' || current.kind === 'subtable') {
      const at = placeOf(d, current.uid);
      const section = at ? d.sections[at.section] : undefined;
      if (at && section) return { section: section.uid, index: at.index + 1 };
    }
    if (current.kind === 'section') return { section: current.uid };
    return { section: (d.sections[d.sections.length - 1] as Draft['sections'][number]).uid };
  };

  const insert = (type: string, place?: Place) => {
    if (!draft) return;
    const current = selectionRef.current;
    const subUid = current.kind === 'column' ? current.sub : current.kind === 'subtable' ? current.uid : undefined;
    if (!place && subUid && type !== SUBTABLE && findWebFieldType(type).design.inSubtable !== false) {
      const added = addColumn(draft, subUid, newFieldOf(type));
      setDraft(added.draft);
      setSelection({ kind: 'column', sub: subUid, uid: added.uid });
      return;
    }
    const where = place ?? placeForNew(draft);
    if (type === SUBTABLE) {
      const added = addSubtable(draft, { zh: '明细', en: 'Lines' }, newFieldOf('text'), where);
      setDraft(added.draft);
      setSelection({ kind: 'subtable', uid: added.uid });
      return;
    }
    const added = addField(draft, newFieldOf(type), where);
    setDraft(added.draft);
    setSelection({ kind: 'field', uid: added.uid });
  };

  const canvasOps: CanvasOps = {
    dropType: (type, place) => insert(type, place),
    dropColumn: (sub, type) => {
      if (!draft || type === SUBTABLE || findWebFieldType(type).design.inSubtable === false) return;
      const added = addColumn(draft, sub, newFieldOf(type));
      setDraft(added.draft);
      setSelection({ kind: 'column', sub, uid: added.uid });
    },
    moveItem: (uid, place) => change((d) => moveItem(d, uid, place)),
    stepItem: (uid, delta) => change((d) => stepItem(d, uid, delta)),
    removeItem: (uid) => {
      change((d) => removeItem(d, uid));
      setSelection({ kind: 'form' });
    },
    stepSection: (uid, delta) => change((d) => stepSection(d, uid, delta)),
    removeSection: (uid) => {
      change((d) => removeSection(d, uid));
      setSelection({ kind: 'form' });
    },
    addSection: () => {
      if (!draft) return;
      const n = draft.sections.length + 1;
      const added = addSection(draft, { zh: `分组${n}`, en: `Section ${n}` });
      setDraft(added.draft);
      setSelection({ kind: 'section', uid: added.uid });
    },
  };

  const panelOps: PanelOps = {
    updateField: (target, fn) =>
      change((d) =>
        target.kind === 'field'
          ? updateField(d, target.uid, fn)
          : target.kind === 'column'
            ? updateColumn(d, target.sub, target.uid, fn)
            : d,
      ),
    updateItem: (uid, fn) => change((d) => updateItem(d, uid, fn)),
    updateSubtable: (uid, fn) => change((d) => updateSubtable(d, uid, fn)),
    updateSection: (uid, sectionTitle) =>
      change((d) =>
        updateSection(d, uid, ({ title: _old, ...rest }) => (sectionTitle ? { ...rest, title: sectionTitle } : rest)),
      ),
    updateForm: (patch) => change((d) => ({ ...d, ...patch })),
    addColumn: (sub, type) => canvasOps.dropColumn(sub, type),
    stepColumn: (sub, uid, delta) => change((d) => stepColumn(d, sub, uid, delta)),
    removeColumn: (sub, uid) => {
      change((d) => removeColumn(d, sub, uid));
      setSelection({ kind: 'subtable', uid: sub });
    },
  };

  // A selection whose target was removed falls back to the form.
  useEffect(() => {
    if (!draft) return;
    const gone =
      (selection.kind === 'field' && !findField(draft, selection.uid)) ||
      (selection.kind === 'subtable' && !findSubtable(draft, selection.uid)) ||
      (selection.kind === 'column' && !findColumn(draft, selection.sub, selection.uid)) ||
      (selection.kind === 'section' && !draft.sections.some((s) => s.uid === selection.uid));
    if (gone) setSelection({ kind: 'form' });
  }, [draft, selection]);

  const startPublish = async () => {
    if (!compiled) return;
    setBusy('plan');
    try {
      setPlan(await designApi.preview(compiled.definition));
    } catch (error) {
      if (isApiError(error) && error.code === 'FORM_DEFINITION_INVALID') {
        message.error(t('design.fixIssuesFirst', { count: error.fields.length }));
        setTab('design');
      } else notice(error);
    } finally {
      setBusy(undefined);
    }
  };

  const confirmPublish = async () => {
    if (!compiled || !draft) return;
    setBusy('publish');
    try {
      const result = await designApi.publish(compiled.definition);
      setPlan(undefined);
      message.success(t('design.published', { name: title, version: result.version }));
      // The draft is now what is published: nothing to lose by leaving.
      setBaseline(JSON.stringify(compiled.definition));
      const path = `/admin/forms/${encodeURIComponent(result.pack)}/${encodeURIComponent(result.key)}`;
      if (!existing || existing.pack !== result.pack || existing.key !== result.key) goTo(path);
      else setReloads((n) => n + 1);
    } catch (error) {
      notice(error);
    } finally {
      setBusy(undefined);
    }
  };

  if (loadError) {
    const description = describeApiError(loadError, t, t('design.loadFailed'));
    return (
      <Result
        status="warning"
        title={description.title}
        subTitle={description.detail}
        extra={<Link to="/admin/forms">{t('design.backToList')}</Link>}
      />
    );
  }
  if (!draft || !compiled) return <Skeleton active />;

  const allIssues = check?.status === 'invalid' ? [...issues.values()].flat() : [];
  const status =
    check === undefined || check.status === 'checking' ? (
      <Tag icon={<LoadingOutlined aria-hidden />} className="designer-check" data-status="checking">
        {t('design.check.checking')}
      </Tag>
    ) : check.status === 'ok' ? (
      <Tag icon={<CheckCircleOutlined aria-hidden />} color="success" className="designer-check" data-status="ok">
        {check.plan.unchanged ? t('design.check.unchanged') : t('design.check.ok')}
      </Tag>
    ) : check.status === 'invalid' ? (
      <Popover
        trigger="click"
        title={t('design.check.issuesTitle')}
        content={
          <ul className="designer-issue-list">
            {allIssues.map((issue) => (
              <li key={`${issue.rest.join('.')}:${issue.code}:${JSON.stringify(issue.target)}`}>
                <Button type="link" size="small" onClick={() => setSelection(issue.target)}>
                  {describeTarget(draft, issue.target, locale, t('design.prop.formTitle'))}
                </Button>
                {issueText(issue, t)}
              </li>
            ))}
          </ul>
        }
      >
        <Tag
          icon={<ExclamationCircleOutlined aria-hidden />}
          color="error"
          className="designer-check"
          data-status="invalid"
          role="button"
          tabIndex={0}
        >
          {t('design.check.issues', { count: issueCount })}
        </Tag>
      </Popover>
    ) : (
      <Tag color="warning" className="designer-check" data-status="error">
        {describeApiError(check.error, t, t('design.check.failed')).detail ?? t('design.check.failed')}
      </Tag>
    );

  return (
    <div className="designer-page">
      <PageHeader
        title={t('design.pageTitle', { name: title })}
        description={
          draft.version > 0 ? t('design.publishedVersion', { version: draft.version }) : t('design.neverPublished')
        }
        extra={
          <Flex gap={8} wrap align="center">
            {status}
            {dirty && <Tag color="processing">{t('design.unpublishedChanges')}</Tag>}
            {draft.version > 0 && (
              <Link to={`/records/${encodeURIComponent(draft.pack)}/${encodeURIComponent(draft.key)}`}>
                <Button icon={<DatabaseOutlined aria-hidden />}>{t('design.openRecords')}</Button>
              </Link>
            )}
            <Button
              type="primary"
              icon={<CloudUploadOutlined aria-hidden />}
              loading={busy === 'plan'}
              onClick={() => void startPublish()}
            >
              {t('design.publish')}
            </Button>
          </Flex>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'design',
            label: t('design.tab.design'),
            children: (
              <div className="designer-workspace">
                <Palette onAdd={(type) => insert(type)} onAddSection={canvasOps.addSection} />
                <Canvas draft={draft} selection={selection} select={setSelection} issues={issues} ops={canvasOps} />
                <PropertyPanel
                  draft={draft}
                  definition={compiled.definition}
                  selection={selection}
                  select={setSelection}
                  change={change}
                  issues={issues}
                  schema={schema}
                  ops={panelOps}
                />
              </div>
            ),
          },
          {
            key: 'preview',
            label: t('design.tab.preview'),
            children: tab === 'preview' ? <DesignPreview definition={compiled.definition} /> : null,
          },
        ]}
      />
      <PublishDialog
        plan={plan}
        name={title}
        publishing={busy === 'publish'}
        onConfirm={() => void confirmPublish()}
        onCancel={() => setPlan(undefined)}
      />
    </div>
  );
}

function describeTarget(draft: Draft, target: Target, locale: string, formName: string): string {
  if (target.kind === 'form') return formName;
  if (target.kind === 'section') {
    const section = draft.sections.find((s) => s.uid === target.uid);
    return section?.title ? pickLabel(section.title, locale) : (section?.key ?? '');
  }
  if (target.kind === 'field') {
    const field = findField(draft, target.uid);
    return field ? `${pickLabel(field.def.label, locale)} (${field.def.key})` : '';
  }
  if (target.kind === 'subtable') {
    const sub = findSubtable(draft, target.uid);
    return sub ? `${pickLabel(sub.def.label, locale)} (${sub.def.key})` : '';
  }
  const sub = findSubtable(draft, target.sub);
  const column = findColumn(draft, target.sub, target.uid);
  return sub && column
    ? `${pickLabel(sub.def.label, locale)}.${pickLabel(column.def.label, locale)} (${column.def.key})`
    : '';
}
