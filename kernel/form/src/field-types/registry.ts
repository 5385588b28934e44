import { attachmentField } from './attachment/index.ts';
import { attachmentsField } from './attachments/index.ts';
import { booleanField } from './boolean/index.ts';
import { checkboxesField } from './checkboxes/index.ts';
import { dateField } from './date/index.ts';
import { datetimeField } from './datetime/index.ts';
import type { FieldTypeDefinition } from './define.ts';
import { departmentField } from './department/index.ts';
import { departmentsField } from './departments/index.ts';
import { formulaField } from './formula/index.ts';
import { imageField } from './image/index.ts';
import { longtextField } from './longtext/index.ts';
import { memberField } from './member/index.ts';
import { membersField } from './members/index.ts';
import { moneyField } from './money/index.ts';
import { moneyUpperField } from './money-upper/index.ts';
import { monthField } from './month/index.ts';
import { numberField } from './number/index.ts';
import { opinionField } from './opinion/index.ts';
import { percentField } from './percent/index.ts';
import { postField } from './post/index.ts';
import { radioField } from './radio/index.ts';
import { referenceField } from './reference/index.ts';
import { regionField } from './region/index.ts';
import { richtextField } from './richtext/index.ts';
import { selectField } from './select/index.ts';
import { serialField } from './serial/index.ts';
import { signatureField } from './signature/index.ts';
import { textField } from './text/index.ts';
import { unitField } from './unit/index.ts';

/** THE list of field types. A new type is a folder here plus one line below. */
const fieldTypeList: readonly FieldTypeDefinition<never>[] = [
  textField,
  longtextField,
  richtextField,
  numberField,
  moneyField,
  percentField,
  dateField,
  datetimeField,
  monthField,
  selectField,
  radioField,
  checkboxesField,
  booleanField,
  memberField,
  membersField,
  departmentField,
  departmentsField,
  unitField,
  postField,
  attachmentField,
  attachmentsField,
  imageField,
  signatureField,
  regionField,
  formulaField,
  moneyUpperField,
  serialField,
  referenceField,
  opinionField,
] as unknown as FieldTypeDefinition<never>[];

// biome-ignore lint/suspicious/noExplicitAny: configs are checked by each type's own schema
export type AnyFieldType = FieldTypeDefinition<any>;

const byType: ReadonlyMap<string, AnyFieldType> = new Map(fieldTypeList.map((t) => [t.type, t as AnyFieldType]));

export function findFieldType(type: string): AnyFieldType | undefined {
  return byType.get(type);
}

export function listFieldTypes(): string[] {
  return [...byType.keys()];
}
