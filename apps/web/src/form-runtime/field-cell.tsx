import type { WidgetContext, WidgetMode } from '../field-types/define.ts';
import { findWebFieldType } from '../field-types/registry.ts';
import { type AccessLevel, type FieldDefinition, type Label, pickLabel } from './types.ts';

export type FieldCellProps = {
  field: FieldDefinition;
  value: unknown;
  onChange: (value: unknown) => void;
  level: AccessLevel;
  mode: WidgetMode;
  issue?: Label;
  ctx: WidgetContext;
  id: string;
};

/** The mode a widget is drawn in: computed and node-only values, read access and read forms are text. */
export function widgetMode(field: FieldDefinition, level: AccessLevel, mode: WidgetMode): WidgetMode {
  const semantics = findWebFieldType(field.type).semantics(field);
  if (mode === 'read' || level === 'read' || semantics.computed || semantics.nodeOnly) return 'read';
  return 'edit';
}

/** One labelled cell of the paper-like grid: label on the left (on top on a phone), the widget, help and error. */
export function FieldCell({ field, value, onChange, level, mode, issue, ctx, id }: FieldCellProps) {
  const type = findWebFieldType(field.type);
  const shown = widgetMode(field, level, mode);
  const required = shown === 'edit' && (field.required === true || level === 'required');
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const Widget = type.Widget;
  return (
    <div className={`form-cell${issue ? ' form-cell-invalid' : ''}`} data-field={field.key}>
      <label className="form-cell-label" htmlFor={id}>
        {required && (
          <span className="form-cell-required" aria-hidden>
            *
          </span>
        )}
        {pickLabel(field.label, ctx.locale)}
        {required && <span className="sr-only">{ctx.t('formView.requiredMark')}</span>}
      </label>
      <div className="form-cell-value" aria-describedby={issue ? errorId : field.help ? helpId : undefined}>
        <Widget
          field={field}
          value={value}
          onChange={onChange}
          mode={shown}
          id={id}
          invalid={Boolean(issue)}
          ctx={ctx}
        />
        {field.help && shown === 'edit' && (
          <div id={helpId} className="form-cell-help">
            {pickLabel(field.help, ctx.locale)}
          </div>
        )}
        {issue && (
          <div id={errorId} className="form-cell-error" role="alert">
            {pickLabel(issue, ctx.locale)}
          </div>
        )}
      </div>
    </div>
  );
}
