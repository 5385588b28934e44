import { AppstoreAddOutlined, TableOutlined } from '@ant-design/icons';
import type { DragEvent } from 'react';
import type { PaletteGroup } from '../../field-types/define.ts';
import { webFieldTypes } from '../../field-types/registry.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';

/** What a palette entry carries while dragged: a field type name, or SUBTABLE. */
export const TYPE_MIME = 'application/x-baton-field-type';
/** What a placed item carries while dragged: its uid. */
export const ITEM_MIME = 'application/x-baton-item';
/** Not a field type name (those are camelCase): the palette's subtable entry. */
export const SUBTABLE = '@subtable';

const groups: ReadonlyArray<[PaletteGroup, MessageKey]> = [
  ['basic', 'design.palette.basic'],
  ['choice', 'design.palette.choice'],
  ['time', 'design.palette.time'],
  ['org', 'design.palette.org'],
  ['file', 'design.palette.file'],
  ['computed', 'design.palette.computed'],
  ['advanced', 'design.palette.advanced'],
];

function startDrag(event: DragEvent, type: string) {
  event.dataTransfer.setData(TYPE_MIME, type);
  event.dataTransfer.effectAllowed = 'copy';
}

/**
 * Every registered field type, grouped, from the web field-type registry. An entry is dragged onto the canvas or,
 * from the keyboard, pressed: it is then added after the selected field (or into the selected subtable).
 */
export function Palette({ onAdd, onAddSection }: { onAdd: (type: string) => void; onAddSection: () => void }) {
  const t = useT();
  const locale = useLocale();
  const all = webFieldTypes();
  return (
    <nav className="designer-palette" aria-label={t('design.palette.title')}>
      <h2 className="designer-pane-title">{t('design.palette.title')}</h2>
      <p className="designer-palette-hint text-muted">{t('design.palette.hint')}</p>
      {groups.map(([group, title]) => {
        const types = all.filter((type) => type.design.group === group);
        if (types.length === 0) return null;
        return (
          <section key={group} className="designer-palette-group" aria-label={t(title)}>
            <h3>{t(title)}</h3>
            <div className="designer-palette-items">
              {types.map((type) => {
                const name = pickLabel(type.design.label, locale);
                return (
                  <button
                    key={type.type}
                    type="button"
                    draggable
                    className="designer-palette-item"
                    data-type={type.type}
                    aria-label={t('design.palette.add', { type: name })}
                    title={t('design.palette.add', { type: name })}
                    onDragStart={(event) => startDrag(event, type.type)}
                    onClick={() => onAdd(type.type)}
                  >
                    {type.design.icon}
                    <span>{name}</span>
                  </button>
                );
              })}
            </div>
          </section>
        );
      })}
      <section className="designer-palette-group" aria-label={t('design.palette.layout')}>
        <h3>{t('design.palette.layout')}</h3>
        <div className="designer-palette-items">
          <button
            type="button"
            draggable
            className="designer-palette-item"
            data-type={SUBTABLE}
            aria-label={t('design.palette.add', { type: t('design.palette.subtable') })}
            onDragStart={(event) => startDrag(event, SUBTABLE)}
            onClick={() => onAdd(SUBTABLE)}
          >
            <TableOutlined aria-hidden />
            <span>{t('design.palette.subtable')}</span>
          </button>
          <button type="button" className="designer-palette-item" data-type="@section" onClick={onAddSection}>
            <AppstoreAddOutlined aria-hidden />
            <span>{t('design.palette.section')}</span>
          </button>
        </div>
      </section>
    </nav>
  );
}
