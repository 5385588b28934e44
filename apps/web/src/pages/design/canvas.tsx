import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  HolderOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { Button, Tag, Tooltip } from 'antd';
import { type DragEvent, type KeyboardEvent, type ReactNode, useState } from 'react';
import { findWebFieldType } from '../../field-types/registry.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import {
  type Draft,
  type DraftItem,
  type DraftSection,
  FULL,
  findField,
  findSubtable,
  type Place,
  type Target,
  targetId,
} from './draft.ts';
import { type DesignIssue, type IssueMap, issueText } from './issues.ts';
import { ITEM_MIME, TYPE_MIME } from './palette.tsx';

export type CanvasOps = {
  /** A palette entry dropped at a place (a field type or the subtable entry). */
  dropType: (type: string, place: Place) => void;
  /** A palette entry dropped onto a subtable: a new column. */
  dropColumn: (sub: string, type: string) => void;
  moveItem: (uid: string, place: Place) => void;
  stepItem: (uid: string, delta: -1 | 1) => void;
  removeItem: (uid: string) => void;
  stepSection: (uid: string, delta: -1 | 1) => void;
  removeSection: (uid: string) => void;
  addSection: () => void;
};

export type CanvasProps = {
  draft: Draft;
  selection: Target;
  select: (target: Target) => void;
  issues: IssueMap;
  ops: CanvasOps;
};

type Hint = { uid: string; side: 'before' | 'after' } | { section: string } | { sub: string } | undefined;

function carries(event: DragEvent, mime: string): boolean {
  return Array.from(event.dataTransfer.types).includes(mime);
}

/** Focuses a control after React has moved it (a moved element loses focus in some browsers). */
function refocus(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

function IssueNote({ issues }: { issues: readonly DesignIssue[] }) {
  const t = useT();
  const first = issues[0];
  if (!first) return null;
  return (
    <div className="designer-item-issue">
      <ExclamationCircleFilled aria-hidden /> {issueText(first, t)}
      {issues.length > 1 && ` ${t('design.canvas.moreIssues', { count: issues.length - 1 })}`}
    </div>
  );
}

/**
 * The form as it will be laid out: sections, each a grid of 24 columns where fields flow left to right. Items are
 * moved by dragging (HTML5 drag and drop) or with their up/down buttons (Alt+↑/↓ on a selected item); palette
 * entries are dropped between items, at a section's end or onto a subtable (a new column). Each item shows
 * the first server issue that names it.
 */
export function Canvas({ draft, selection, select, issues, ops }: CanvasProps) {
  const t = useT();
  const locale = useLocale();
  const [hint, setHint] = useState<Hint>();
  const selected = targetId(selection);
  const formIssues = issues.get('form') ?? [];

  const onItemDragOver = (event: DragEvent<HTMLDivElement>, item: DraftItem) => {
    if (!carries(event, TYPE_MIME) && !carries(event, ITEM_MIME)) return;
    event.preventDefault();
    event.stopPropagation();
    const rect = event.currentTarget.getBoundingClientRect();
    const side = event.clientX < rect.left + rect.width / 2 ? 'before' : 'after';
    event.dataTransfer.dropEffect = carries(event, ITEM_MIME) ? 'move' : 'copy';
    if (!hint || !('uid' in hint) || hint.uid !== item.uid || hint.side !== side) setHint({ uid: item.uid, side });
  };
  const dropAt = (event: DragEvent, place: Place) => {
    event.preventDefault();
    event.stopPropagation();
    setHint(undefined);
    const moved = event.dataTransfer.getData(ITEM_MIME);
    const type = event.dataTransfer.getData(TYPE_MIME);
    if (moved) ops.moveItem(moved, place);
    else if (type) ops.dropType(type, place);
  };

  const itemTools = (uid: string, name: string, section: DraftSection, index: number, sectionIndex: number) => {
    const first = sectionIndex === 0 && index === 0;
    const last = sectionIndex === draft.sections.length - 1 && index === section.items.length - 1;
    return (
      <div className="designer-item-tools">
        <Tooltip title={t('design.canvas.moveUp', { name })}>
          <Button
            id={`up-${uid}`}
            size="small"
            type="text"
            icon={<ArrowUpOutlined aria-hidden />}
            aria-label={t('design.canvas.moveUp', { name })}
            disabled={first}
            onClick={() => {
              ops.stepItem(uid, -1);
              refocus(`up-${uid}`);
            }}
          />
        </Tooltip>
        <Tooltip title={t('design.canvas.moveDown', { name })}>
          <Button
            id={`down-${uid}`}
            size="small"
            type="text"
            icon={<ArrowDownOutlined aria-hidden />}
            aria-label={t('design.canvas.moveDown', { name })}
            disabled={last}
            onClick={() => {
              ops.stepItem(uid, 1);
              refocus(`down-${uid}`);
            }}
          />
        </Tooltip>
        <Tooltip title={t('design.canvas.remove', { name })}>
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined aria-hidden />}
            aria-label={t('design.canvas.remove', { name })}
            onClick={() => ops.removeItem(uid)}
          />
        </Tooltip>
      </div>
    );
  };

  const itemKeys = (event: KeyboardEvent, uid: string) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      ops.stepItem(uid, event.key === 'ArrowUp' ? -1 : 1);
      refocus(`body-${uid}`);
      return;
    }
    if (event.key === 'Delete' && event.target === event.currentTarget) {
      event.preventDefault();
      ops.removeItem(uid);
    }
  };

  const renderItem = (item: DraftItem, section: DraftSection, index: number, sectionIndex: number): ReactNode => {
    const field = findField(draft, item.uid);
    const sub = field ? undefined : findSubtable(draft, item.uid);
    if (!field && !sub) return null;
    const target: Target = field ? { kind: 'field', uid: item.uid } : { kind: 'subtable', uid: item.uid };
    const key = field ? field.def.key : (sub?.def.key ?? '');
    const name = pickLabel(field ? field.def.label : sub?.def.label, locale) || key;
    const ownIssues = issues.get(item.uid) ?? [];
    const columnIssues = sub ? sub.columns.flatMap((c) => issues.get(c.uid) ?? []) : [];
    const invalid = ownIssues.length + columnIssues.length > 0;
    const span = sub ? FULL : item.span;
    const classes = ['designer-item'];
    if (selected === item.uid) classes.push('designer-item-selected');
    if (invalid) classes.push('designer-item-invalid');
    if (hint && 'uid' in hint && hint.uid === item.uid) classes.push(`designer-drop-${hint.side}`);
    const type = field ? findWebFieldType(field.def.type) : undefined;
    return (
      // biome-ignore lint/a11y/noStaticElementInteractions: a drag source and drop target; the keyboard moves items with the buttons inside
      <div
        key={item.uid}
        className={classes.join(' ')}
        style={{ gridColumn: item.newRow ? `1 / span ${span}` : `span ${span}` }}
        data-key={key}
        data-kind={field ? 'field' : 'subtable'}
        draggable
        onDragStart={(event) => {
          event.stopPropagation();
          event.dataTransfer.setData(ITEM_MIME, item.uid);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onDragEnd={() => setHint(undefined)}
        onDragOver={(event) => onItemDragOver(event, item)}
        onDrop={(event) => {
          const side = hint && 'uid' in hint && hint.uid === item.uid ? hint.side : 'before';
          dropAt(event, { section: section.uid, index: side === 'before' ? index : index + 1 });
        }}
      >
        <div className="designer-item-head">
          <HolderOutlined className="designer-grip" aria-hidden />
          <button
            type="button"
            id={`body-${item.uid}`}
            aria-pressed={selected === item.uid}
            aria-label={t('design.canvas.selectItem', { name, key })}
            className="designer-item-body"
            onClick={() => select(target)}
            onKeyDown={(event) => itemKeys(event, item.uid)}
          >
            <span className="designer-item-icon">{type ? type.design.icon : null}</span>
            <span className="designer-item-label">
              {field?.def.required && (
                <span className="form-cell-required" aria-hidden>
                  *
                </span>
              )}
              {name}
            </span>
            <code className="designer-item-key">{key}</code>
            <Tag className="designer-item-type">
              {type ? pickLabel(type.design.label, locale) : t('design.palette.subtable')}
            </Tag>
          </button>
          {itemTools(item.uid, name, section, index, sectionIndex)}
        </div>
        <IssueNote issues={ownIssues} />
        {sub && (
          <ol
            className={`designer-columns${hint && 'sub' in hint && hint.sub === sub.uid ? ' designer-drop-into' : ''}`}
            aria-label={t('design.canvas.columnsOf', { name })}
            onDragOver={(event) => {
              if (!carries(event, TYPE_MIME)) return;
              event.preventDefault();
              event.stopPropagation();
              event.dataTransfer.dropEffect = 'copy';
              if (!hint || !('sub' in hint) || hint.sub !== sub.uid) setHint({ sub: sub.uid });
            }}
            onDrop={(event) => {
              const type = event.dataTransfer.getData(TYPE_MIME);
              event.preventDefault();
              event.stopPropagation();
              setHint(undefined);
              if (type) ops.dropColumn(sub.uid, type);
            }}
          >
            {sub.columns.map((column) => {
              const columnName = pickLabel(column.def.label, locale) || column.def.key;
              const columnTarget: Target = { kind: 'column', sub: sub.uid, uid: column.uid };
              const cIssues = issues.get(column.uid) ?? [];
              return (
                <li key={column.uid}>
                  <button
                    type="button"
                    className={`designer-column${selected === column.uid ? ' designer-column-selected' : ''}${cIssues.length > 0 ? ' designer-column-invalid' : ''}`}
                    aria-pressed={selected === column.uid}
                    data-key={column.def.key}
                    onClick={() => select(columnTarget)}
                  >
                    {findWebFieldType(column.def.type).design.icon} {columnName} <code>{column.def.key}</code>
                  </button>
                  <IssueNote issues={cIssues} />
                </li>
              );
            })}
            <li>
              <Button
                size="small"
                type="dashed"
                icon={<PlusOutlined aria-hidden />}
                onClick={() => ops.dropColumn(sub.uid, 'text')}
                aria-label={t('design.canvas.addColumnTo', { name })}
              >
                {t('design.canvas.addColumnShort')}
              </Button>
            </li>
          </ol>
        )}
      </div>
    );
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only clears the drop hint when a drag leaves the canvas
    <div
      className="designer-canvas"
      onDragLeave={(event) => event.currentTarget === event.target && setHint(undefined)}
    >
      <div
        className={`designer-form-head${selected === 'form' ? ' designer-item-selected' : ''}${formIssues.length > 0 ? ' designer-item-invalid' : ''}`}
        data-key="form"
      >
        <button
          type="button"
          className="designer-form-button"
          aria-pressed={selected === 'form'}
          onClick={() => select({ kind: 'form' })}
        >
          <span className="designer-form-title">{pickLabel(draft.label, locale) || t('design.untitled')}</span>
          <code>
            {draft.pack}.{draft.key || '…'}
          </code>
          <Tag>{t(draft.kind === 'archive' ? 'records.kindArchive' : 'records.kindFlow')}</Tag>
        </button>
        <IssueNote issues={formIssues} />
      </div>
      {draft.sections.map((section, sectionIndex) => {
        const title = section.title ? pickLabel(section.title, locale) : '';
        const sectionName = title || t('design.canvas.untitledSection', { n: sectionIndex + 1 });
        const sectionIssues = issues.get(section.uid) ?? [];
        return (
          <section
            key={section.uid}
            className={`designer-section${selected === section.uid ? ' designer-section-selected' : ''}`}
            aria-label={sectionName}
            data-section={section.key ?? section.uid}
          >
            <header className="designer-section-header">
              <button
                type="button"
                className="designer-section-title"
                aria-pressed={selected === section.uid}
                onClick={() => select({ kind: 'section', uid: section.uid })}
              >
                {sectionName}
              </button>
              <span className="designer-section-tools">
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined aria-hidden />}
                  aria-label={t('design.canvas.sectionUp', { name: sectionName })}
                  disabled={sectionIndex === 0}
                  onClick={() => ops.stepSection(section.uid, -1)}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined aria-hidden />}
                  aria-label={t('design.canvas.sectionDown', { name: sectionName })}
                  disabled={sectionIndex === draft.sections.length - 1}
                  onClick={() => ops.stepSection(section.uid, 1)}
                />
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined aria-hidden />}
                  aria-label={t('design.canvas.sectionRemove', { name: sectionName })}
                  disabled={draft.sections.length < 2}
                  onClick={() => ops.removeSection(section.uid)}
                />
              </span>
            </header>
            <IssueNote issues={sectionIssues} />
            {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the palette's buttons are the keyboard way in */}
            <div
              className={`designer-grid${hint && 'section' in hint && hint.section === section.uid ? ' designer-drop-into' : ''}`}
              onDragOver={(event) => {
                if (!carries(event, TYPE_MIME) && !carries(event, ITEM_MIME)) return;
                event.preventDefault();
                event.dataTransfer.dropEffect = carries(event, ITEM_MIME) ? 'move' : 'copy';
                if (!hint || !('section' in hint) || hint.section !== section.uid) setHint({ section: section.uid });
              }}
              onDrop={(event) => dropAt(event, { section: section.uid })}
            >
              {section.items.map((item, index) => renderItem(item, section, index, sectionIndex))}
              <div className="designer-grid-end" style={{ gridColumn: '1 / -1' }}>
                {section.items.length === 0 ? t('design.canvas.emptySection') : t('design.canvas.dropHere')}
              </div>
            </div>
          </section>
        );
      })}
      <Button icon={<PlusOutlined aria-hidden />} type="dashed" block onClick={ops.addSection}>
        {t('design.canvas.addSection')}
      </Button>
    </div>
  );
}
