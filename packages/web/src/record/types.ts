import type { Abilities, RecordSummary, TransitionInput } from '../endpoints';
import type { FieldDef } from './fields';

/** What the generic record page needs of any record type's detail response. */
export type RecordDetail = RecordSummary & { data: Record<string, unknown>; contentHash: string; abilities: Abilities };

/** The record-type-specific parts the generic record page is given. */
export interface RecordTypeConfig<T extends RecordDetail> {
  /** Query-cache key of lists of this type (invalidated after changes). */
  listKey: string;
  noun: string;
  fields: FieldDef[];
  update: (id: string, body: Record<string, unknown>) => Promise<T>;
  transition: (id: string, body: TransitionInput) => Promise<T>;
}

/** The value of a field, wherever it lives on the record. */
export function fieldValue(record: RecordDetail, def: FieldDef): unknown {
  if (def.source === 'record') return (record as unknown as Record<string, unknown>)[def.name];
  return record.data[def.name];
}
