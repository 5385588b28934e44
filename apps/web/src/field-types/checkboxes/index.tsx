import { CheckSquareOutlined } from '@ant-design/icons';
import { Checkbox, Select } from 'antd';
import { pickLabel } from '../../form-runtime/types.ts';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { optionsSetting, starterOptions } from '../design-settings.ts';
import { asIds, optionLabel, optionsOf, ReadValue } from '../shared.tsx';

function CheckboxesWidget({ field, value, onChange, mode, id, ctx, compact, invalid }: WidgetProps) {
  const chosen = asIds(value);
  if (mode === 'read') {
    return <ReadValue>{chosen.map((code) => optionLabel(field, code, ctx.locale)).join('、')}</ReadValue>;
  }
  const options = optionsOf(field).map((option) => ({
    value: option.code,
    label: pickLabel(option.label, ctx.locale),
  }));
  // Kept in the order of the options, as the server stores them.
  const ordered = (next: string[]) => {
    const set = new Set(next);
    const list = options.map((option) => option.value).filter((code) => set.has(code));
    onChange(list.length ? list : null);
  };
  if (compact) {
    return (
      <Select
        id={id}
        mode="multiple"
        className="field-select"
        value={chosen}
        onChange={ordered}
        options={options}
        status={invalid ? 'error' : undefined}
      />
    );
  }
  return (
    <fieldset id={id} className="field-fieldset">
      <Checkbox.Group value={chosen} onChange={(next) => ordered(next as string[])} options={options} />
    </fieldset>
  );
}

export const checkboxesWebField = defineWebFieldType({
  type: 'checkboxes',
  Widget: CheckboxesWidget,
  semantics: () => ({ exprType: 'list<text>' }),
  design: {
    label: { zh: '多选', en: 'Checkboxes' },
    icon: <CheckSquareOutlined aria-hidden />,
    group: 'choice',
    config: starterOptions,
    settings: [optionsSetting],
  },
});
