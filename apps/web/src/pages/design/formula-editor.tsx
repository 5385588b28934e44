import { CheckCircleOutlined, FunctionOutlined } from '@ant-design/icons';
import { type FunctionCategory, listFunctions, type PreparedSchema, type Type, typeLabel } from '@baton/expression';
import { Button, Input, Popover, Select } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { checkExpression, insertAt, type PickerEntry } from './expression.ts';

const categoryKeys: Readonly<Record<FunctionCategory, MessageKey>> = {
  aggregate: 'design.formula.catAggregate',
  logic: 'design.formula.catLogic',
  math: 'design.formula.catMath',
  text: 'design.formula.catText',
  date: 'design.formula.catDate',
  conversion: 'design.formula.catConversion',
};

export type FormulaEditorProps = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  schema: PreparedSchema | undefined;
  /** The subtable whose row a column formula computes (bare names are that row's cells). */
  scope?: string;
  /** The type the result must have (a formula's resultType, boolean for validations); any type when absent. */
  expect?: string;
  /** Blank is allowed (an optional condition): no prompt to fill it in. */
  optional?: boolean;
  entries: readonly PickerEntry[];
  /** What the server said about this expression on the last check. */
  serverIssues?: readonly string[];
  /** The text area's name where no <label for> names it (a row of a mapping table, a card's only input). */
  label?: string;
};

/**
 * A formula in the expression language: a text area, a picker that inserts field names, the function list with
 * each function's summary and signatures, and the type-check of @baton/expression on every keystroke (the
 * same compile the server runs on publish), each issue with where it is in the text.
 */
export function FormulaEditor({
  id,
  value,
  onChange,
  schema,
  scope,
  expect,
  entries,
  serverIssues = [],
  optional = false,
  label,
}: FormulaEditorProps) {
  const t = useT();
  const locale = useLocale();
  const area = useRef<HTMLTextAreaElement | null>(null);
  const caret = useRef<{ start: number; end: number }>({ start: value.length, end: value.length });
  const [functionsOpen, setFunctionsOpen] = useState(false);
  const [functionSearch, setFunctionSearch] = useState('');

  const result = useMemo(
    () => checkExpression(value, schema, { ...(scope ? { scope } : {}), ...(expect ? { expect } : {}) }),
    [value, schema, scope, expect],
  );
  const remember = () => {
    const el = area.current;
    if (el) caret.current = { start: el.selectionStart, end: el.selectionEnd };
  };
  const insert = (text: string, back = 0) => {
    const { start, end } = caret.current;
    const next = insertAt(value, Math.min(start, value.length), Math.min(end, value.length), text);
    onChange(next.value);
    const position = next.caret - back;
    caret.current = { start: position, end: position };
    // After React has written the new value, put the caret where the insertion ended.
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(position, position);
    });
  };

  const functions = useMemo(() => {
    const search = functionSearch.trim().toUpperCase();
    const list = listFunctions().filter(
      (fn) =>
        !search ||
        fn.name.includes(search) ||
        fn.summary.zh.includes(functionSearch.trim()) ||
        fn.summary.en.toUpperCase().includes(search),
    );
    const groups = new Map<FunctionCategory, typeof list>();
    for (const fn of list) groups.set(fn.category, [...(groups.get(fn.category) ?? []), fn]);
    return [...groups.entries()];
  }, [functionSearch]);

  const issuesId = `${id}-issues`;
  const issues = 'issues' in result ? result.issues : [];
  const blank = 'blank' in result;
  const expectLabel = expect ? pickLabel(typeLabel(expect as Type), locale) : undefined;

  const functionList = (
    <div className="formula-functions">
      <Input.Search
        size="small"
        allowClear
        placeholder={t('design.formula.searchFunctions')}
        aria-label={t('design.formula.searchFunctions')}
        value={functionSearch}
        onChange={(event) => setFunctionSearch(event.target.value)}
      />
      <div className="formula-function-groups">
        {functions.map(([category, list]) => (
          <section key={category} aria-label={t(categoryKeys[category])}>
            <h4 className="formula-function-category">{t(categoryKeys[category])}</h4>
            <ul>
              {list.map((fn) => (
                <li key={fn.name}>
                  <button
                    type="button"
                    className="formula-function"
                    data-function={fn.name}
                    onClick={() => {
                      setFunctionsOpen(false);
                      insert(`${fn.name}()`, 1);
                    }}
                  >
                    <code>{fn.name}</code>
                    <span className="formula-function-summary">
                      {locale === 'zh-CN' ? fn.summary.zh : fn.summary.en}
                    </span>
                    <span className="formula-function-signatures">{fn.signatures.join('；')}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );

  return (
    <div className="formula-editor">
      <div className="formula-toolbar">
        <Select
          size="small"
          className="formula-field-picker"
          showSearch={{ optionFilterProp: 'search' }}
          value={null}
          placeholder={t('design.formula.insertField')}
          aria-label={t('design.formula.insertField')}
          popupMatchSelectWidth={false}
          options={entries.map((entry) => ({
            value: entry.insert,
            search: `${entry.insert} ${entry.label.zh} ${entry.label.en}`,
            label: (
              <span className="formula-field-option">
                {pickLabel(entry.label, locale)} <code>{entry.insert}</code>{' '}
                <span className="text-muted">{pickLabel(typeLabel(entry.type as Type), locale)}</span>
              </span>
            ),
          }))}
          onChange={(next: string | null) => {
            if (next) insert(next);
          }}
          notFoundContent={t('design.formula.noFields')}
        />
        <Popover
          trigger="click"
          open={functionsOpen}
          onOpenChange={setFunctionsOpen}
          content={functionList}
          placement="bottomLeft"
          title={t('design.formula.functions')}
        >
          <Button size="small" icon={<FunctionOutlined aria-hidden />} aria-expanded={functionsOpen}>
            {t('design.formula.functions')}
          </Button>
        </Popover>
      </div>
      <Input.TextArea
        id={id}
        {...(label ? { 'aria-label': label } : {})}
        ref={(instance) => {
          area.current = instance?.resizableTextArea?.textArea ?? null;
        }}
        className="formula-input"
        autoSize={{ minRows: 2, maxRows: 8 }}
        spellCheck={false}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          caret.current = { start: event.target.selectionStart, end: event.target.selectionEnd };
        }}
        onSelect={remember}
        onKeyUp={remember}
        onClick={remember}
        onBlur={remember}
        status={issues.length > 0 || serverIssues.length > 0 ? 'error' : undefined}
        aria-invalid={issues.length > 0 || serverIssues.length > 0 || undefined}
        aria-describedby={issuesId}
      />
      <div id={issuesId} className="formula-status" aria-live="polite">
        {issues.length > 0 ? (
          <ul className="formula-issues" role="alert">
            {issues.map((issue) => (
              <li key={`${issue.code}@${issue.position.start}-${issue.position.end}`} data-code={issue.code}>
                <span className="formula-issue-text">{locale === 'zh-CN' ? issue.zh : issue.en}</span>{' '}
                <span className="text-muted">
                  {t('design.formula.at', { start: issue.position.start + 1, end: issue.position.end })}
                </span>
                {issue.position.end > issue.position.start && (
                  <code className="formula-issue-snippet">{value.slice(issue.position.start, issue.position.end)}</code>
                )}
              </li>
            ))}
          </ul>
        ) : blank ? (
          optional ? null : (
            <span className="formula-blank">{t('design.formula.blank')}</span>
          )
        ) : (
          <span className="formula-ok">
            <CheckCircleOutlined aria-hidden />{' '}
            {expectLabel ? t('design.formula.ok', { type: expectLabel }) : t('design.formula.okAny')}
          </span>
        )}
        {serverIssues.length > 0 && issues.length === 0 && (
          <ul className="formula-issues" role="alert">
            {serverIssues.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
