import type { DesignSetting } from './define.ts';

// Properties several field types share in the form designer (their config keys are the server's).

export const maxLengthSetting = (max: number): DesignSetting => ({
  kind: 'integer',
  name: 'maxLength',
  label: { zh: '最大长度', en: 'Maximum length' },
  min: 1,
  max,
});

export const maxCountSetting = (max: number): DesignSetting => ({
  kind: 'integer',
  name: 'maxCount',
  label: { zh: '最多文件数', en: 'Maximum files' },
  min: 1,
  max,
});

export const maxSizeSetting: DesignSetting = {
  kind: 'decimal',
  name: 'maxSizeMb',
  label: { zh: '单个文件上限（MB）', en: 'Maximum size per file (MB)' },
  min: 0.1,
  max: 1024,
};

export const maxPickSetting: DesignSetting = {
  kind: 'integer',
  name: 'max',
  label: { zh: '最多可选', en: 'At most' },
  min: 1,
  max: 500,
};

export const optionsSetting: DesignSetting = { kind: 'options', name: 'options' };

/** Two options to start from, so a new choice field is valid as dropped. */
export function starterOptions(): Record<string, unknown> {
  return {
    options: [
      { code: 'option1', label: { zh: '选项1', en: 'Option 1' } },
      { code: 'option2', label: { zh: '选项2', en: 'Option 2' } },
    ],
  };
}
