import { CheckCircleOutlined, LoadingOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Table, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { MemberNames } from '../../field-types/member/picker.tsx';
import type { Label } from '../../form-runtime/types.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { type CheckState, checkText, type DraftIssue } from './check-state.ts';
import type { DesignerDraft } from './use-designer-draft.ts';
import './designer-common.css';

// The parts the rule and report editors draw alike. `kind` names the editor: its texts are `<kind>Design.*`, its
// element ids and class names (which the journeys find) start with `<kind>-`, and its pages live at /admin/<kind>s.
export type DraftKind = 'rule' | 'report';

/** The server's issues as a list: where (the path in the definition) and what. */
export function DraftIssues({ issues }: { issues: readonly DraftIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <div role="alert">
      <ul className="design-draft-issues">
        {issues.map((issue) => (
          <li key={`${issue.path.join('.')}:${issue.code}`} data-path={issue.path.join('.')}>
            <code>{issue.path.join('.')}</code> {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CheckStatus({ kind, check }: { kind: DraftKind; check: CheckState }) {
  const t = useT();
  const icon =
    check.status === 'checking' ? (
      <LoadingOutlined aria-hidden />
    ) : check.status === 'ok' ? (
      <CheckCircleOutlined aria-hidden />
    ) : check.status === 'idle' ? null : (
      <WarningOutlined aria-hidden />
    );
  return (
    <span className={`design-draft-check ${kind}-design-check`} data-status={check.status} aria-live="polite">
      {icon} {checkText(t, `${kind}Design`, check)}
    </span>
  );
}

/**
 * The head of an editor: pack, key (fixed once published) and name, `children` (more settings of the whole
 * definition), the live check and Publish; under it a warning when a new draft takes a published key, the
 * issues about the head, the last error and the summary of all issues.
 */
export function DraftHeader<D extends { pack: string; key: string }, R extends { issues: DraftIssue[] }>({
  kind,
  editor,
  isNew,
  taken,
  name,
  headerIssues,
  children,
}: {
  kind: DraftKind;
  editor: DesignerDraft<D, R>;
  isNew: boolean;
  /** `pack.key` of every published definition of this kind. */
  taken: ReadonlySet<string>;
  /** The draft's name in both languages, and the ids of its two inputs. */
  name: { ids: { zh: string; en: string }; value: Label; onChange: (name: Label) => void };
  headerIssues: readonly DraftIssue[];
  children?: ReactNode;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { draft, set, check } = editor;
  const texts = `${kind}Design` as const;
  const keyTaken = isNew && taken.has(`${draft.pack}.${draft.key}`);
  return (
    <>
      <Card size="small" className={`${kind}-design-header`}>
        <Flex gap={8} wrap align="center">
          {(['pack', 'key'] as const).map((part) => (
            <Input
              key={part}
              id={`${kind}-${part}`}
              aria-label={t(`${texts}.${part}`)}
              addonBefore={t(`${texts}.${part}`)}
              value={draft[part]}
              disabled={!isNew}
              onChange={(e) => set({ [part]: e.target.value.trim() } as Partial<D>)}
              className="design-draft-short"
            />
          ))}
          {(
            [
              ['zh', 'nameZh'],
              ['en', 'nameEn'],
            ] as const
          ).map(([language, text]) => (
            <Input
              key={language}
              id={name.ids[language]}
              aria-label={t(`${texts}.${text}`)}
              addonBefore={t(`${texts}.${text}`)}
              value={name.value[language]}
              onChange={(e) => name.onChange({ ...name.value, [language]: e.target.value })}
              className="design-draft-name"
            />
          ))}
          {children}
          <Flex gap={8} align="center" className="design-draft-actions">
            <CheckStatus kind={kind} check={check} />
            <Button
              type="primary"
              onClick={editor.publish}
              loading={editor.busy}
              disabled={keyTaken}
              className={`${kind}-design-publish`}
            >
              {t(`${texts}.publish`)}
            </Button>
          </Flex>
        </Flex>
        {keyTaken && (
          <Alert
            type="warning"
            showIcon
            className="design-draft-taken"
            message={t(`${texts}.keyTaken`)}
            action={
              <Button size="small" onClick={() => navigate(`/admin/${kind}s/${draft.pack}/${draft.key}`)}>
                {t(`${texts}.open`)}
              </Button>
            }
          />
        )}
        <DraftIssues issues={headerIssues} />
      </Card>
      {editor.error && <Alert type="error" showIcon message={editor.error} closable onClose={editor.dismissError} />}
      {check.status === 'issues' && check.issues && (
        <Alert
          type="error"
          showIcon
          className={`${kind}-design-invalid-summary`}
          message={t(`${texts}.issueCount`, { count: check.issues.length })}
          description={<DraftIssues issues={check.issues} />}
        />
      )}
    </>
  );
}

type Version = { version: number; hash: string; publishedAt: string; publishedBy: string };

/** The published versions, newest first; any of them can be loaded back into the editor. */
export function VersionTable<V extends Version>({
  kind,
  versions,
  onLoad,
  more = {},
  scroll = true,
}: {
  kind: DraftKind | 'flow';
  versions: V[];
  onLoad: (version: V) => void;
  /** Columns of this kind: after the version number, and after who published it. */
  more?: { afterVersion?: TableColumnsType<V>; afterPublisher?: TableColumnsType<V> };
  /** Scroll sideways on a narrow screen rather than squeeze the columns. */
  scroll?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <Table
      size="small"
      rowKey="version"
      pagination={false}
      dataSource={versions}
      className={`${kind}-design-versions`}
      {...(scroll ? { scroll: { x: true } } : {})}
      columns={[
        { key: 'v', title: t(`${kind}Design.version`), render: (_, v) => `v${v.version}`, width: 80 },
        ...(more.afterVersion ?? []),
        { key: 'at', title: t(`${kind}Design.publishedAt`), render: (_, v) => formatInstant(v.publishedAt, locale) },
        { key: 'by', title: t(`${kind}Design.publishedBy`), render: (_, v) => <MemberNames value={[v.publishedBy]} /> },
        ...(more.afterPublisher ?? []),
        { key: 'hash', title: 'hash', render: (_, v) => <code>{v.hash.slice(0, 12)}</code> },
        {
          key: 'load',
          title: '',
          render: (_, v) => (
            <Button size="small" onClick={() => onLoad(v)}>
              {t(`${kind}Design.loadVersion`)}
            </Button>
          ),
        },
      ]}
    />
  );
}
