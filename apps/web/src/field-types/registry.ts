import { attachmentWebField } from './attachment/index.tsx';
import { attachmentsWebField } from './attachments/index.tsx';
import { booleanWebField } from './boolean/index.tsx';
import { checkboxesWebField } from './checkboxes/index.tsx';
import { dateWebField } from './date/index.tsx';
import { datetimeWebField } from './datetime/index.tsx';
import type { WebFieldType } from './define.ts';
import { departmentWebField } from './department/index.tsx';
import { departmentsWebField } from './departments/index.tsx';
import { formulaWebField } from './formula/index.tsx';
import { imageWebField } from './image/index.tsx';
import { longtextWebField } from './longtext/index.tsx';
import { memberWebField } from './member/index.tsx';
import { membersWebField } from './members/index.tsx';
import { moneyWebField } from './money/index.tsx';
import { moneyUpperWebField } from './money-upper/index.tsx';
import { monthWebField } from './month/index.tsx';
import { numberWebField } from './number/index.tsx';
import { opinionWebField } from './opinion/index.tsx';
import { percentWebField } from './percent/index.tsx';
import { postWebField } from './post/index.tsx';
import { radioWebField } from './radio/index.tsx';
import { referenceWebField } from './reference/index.tsx';
import { regionWebField } from './region/index.tsx';
import { richtextWebField } from './richtext/index.tsx';
import { selectWebField } from './select/index.tsx';
import { serialWebField } from './serial/index.tsx';
import { signatureWebField } from './signature/index.tsx';
import { textWebField } from './text/index.tsx';
import { unitWebField } from './unit/index.tsx';

/**
 * THE list of web field types, mirroring kernel/form/src/field-types/registry.ts: a new type is a folder here
 * (at the same path as its server half) plus one line below.
 */
const webFieldTypeList: readonly WebFieldType[] = [
  textWebField,
  longtextWebField,
  richtextWebField,
  numberWebField,
  moneyWebField,
  percentWebField,
  dateWebField,
  datetimeWebField,
  monthWebField,
  selectWebField,
  radioWebField,
  checkboxesWebField,
  booleanWebField,
  memberWebField,
  membersWebField,
  departmentWebField,
  departmentsWebField,
  unitWebField,
  postWebField,
  attachmentWebField,
  attachmentsWebField,
  imageWebField,
  signatureWebField,
  regionWebField,
  formulaWebField,
  moneyUpperWebField,
  serialWebField,
  referenceWebField,
  opinionWebField,
];

const byType: ReadonlyMap<string, WebFieldType> = new Map(webFieldTypeList.map((t) => [t.type, t]));

/** The web half of a field type; an unknown type (a newer server) is drawn as read-only text. */
export function findWebFieldType(type: string): WebFieldType {
  return byType.get(type) ?? fallbackWebField;
}

export function listWebFieldTypes(): string[] {
  return [...byType.keys()];
}

/** Every registered type in registry order: the form designer's palette. */
export function webFieldTypes(): readonly WebFieldType[] {
  return webFieldTypeList;
}

const fallbackWebField: WebFieldType = {
  ...textWebField,
  type: 'unknown',
  semantics: () => ({ exprType: null, computed: true }),
  filter: undefined,
};
