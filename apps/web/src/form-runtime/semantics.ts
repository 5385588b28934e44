import { findWebFieldType } from '../field-types/registry.ts';
import type { SemanticsOf } from './compute.ts';

/** The runtime's view of each field type, from the web registry. */
export const registrySemantics: SemanticsOf = (field) => findWebFieldType(field.type).semantics(field);
