import { deviationClassifications, deviationStatuses, rootCauseCategories } from '@verity/contracts';
import { humanize } from '../format';

/** How one field of a record's content is shown, edited and asked for by a transition. */
export interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'lines' | 'datetime' | 'date';
  options?: { value: string; label: string }[];
  /** Editable in the Details edit mode (when abilities.update). */
  editable: boolean;
  /** Required (non-empty) when edited: the contract uses text(), not optionalText(). */
  required?: boolean;
  maxLines?: number;
  description?: string;
  /** Where the value lives: the record summary (title, dueDate) or its `data`. */
  source: 'record' | 'data';
}

export const deviationStatusOptions = deviationStatuses.map((value) => ({
  value,
  label:
    {
      reported: 'Reported',
      under_investigation: 'Under investigation',
      pending_qa_approval: 'Pending QA approval',
      approved: 'Approved',
      closed: 'Closed',
      cancelled: 'Cancelled',
    }[value] ?? humanize(value),
}));

export const classificationLabels: Record<string, string> = { minor: 'Minor', major: 'Major', critical: 'Critical' };

/** Ishikawa 6M, with what each category covers. */
export const rootCauseCategoryLabels: Record<string, string> = {
  man: 'Man (people)',
  machine: 'Machine (equipment)',
  method: 'Method (procedure)',
  material: 'Material',
  measurement: 'Measurement',
  milieu: 'Milieu (environment)',
};

/** The deviation's fields, in reading order: capture, triage, investigation, closure. */
export const deviationFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: true, required: true, source: 'record' },
  { name: 'description', label: 'Description', kind: 'textarea', editable: true, required: true, source: 'data' },
  { name: 'occurredAt', label: 'Occurred at', kind: 'datetime', editable: false, source: 'data' },
  { name: 'area', label: 'Area / location', kind: 'text', editable: true, source: 'data' },
  { name: 'productBatch', label: 'Product / batch', kind: 'text', editable: true, source: 'data' },
  { name: 'immediateAction', label: 'Immediate action / containment', kind: 'textarea', editable: true, source: 'data' },
  {
    name: 'classification',
    label: 'Classification',
    kind: 'select',
    options: deviationClassifications.map((value) => ({ value, label: classificationLabels[value] })),
    editable: true,
    source: 'data',
  },
  { name: 'triageRationale', label: 'Triage rationale', kind: 'textarea', editable: true, source: 'data' },
  {
    name: 'rootCauseCategory',
    label: 'Root-cause category (6M)',
    kind: 'select',
    options: rootCauseCategories.map((value) => ({ value, label: rootCauseCategoryLabels[value] })),
    editable: true,
    source: 'data',
  },
  { name: 'rootCause', label: 'Root cause', kind: 'textarea', editable: true, source: 'data' },
  { name: 'fiveWhys', label: '5 whys', kind: 'lines', maxLines: 5, editable: true, source: 'data', description: 'One answer per "why?", up to five' },
  { name: 'investigationSummary', label: 'Investigation summary', kind: 'textarea', editable: true, source: 'data' },
  { name: 'productImpact', label: 'Product impact', kind: 'textarea', editable: true, source: 'data' },
  { name: 'batchImpact', label: 'Batch impact', kind: 'textarea', editable: true, source: 'data', description: 'Batches affected and their disposition' },
  {
    name: 'capaDecision',
    label: 'CAPA decision',
    kind: 'select',
    options: [
      { value: 'required', label: 'CAPA required' },
      { value: 'not_required', label: 'No CAPA needed (justify)' },
    ],
    editable: true,
    source: 'data',
  },
  { name: 'capaDecisionJustification', label: 'Why no CAPA is needed', kind: 'textarea', editable: true, source: 'data', description: 'Required when no CAPA is needed' },
  { name: 'closureSummary', label: 'Closure summary', kind: 'textarea', editable: true, source: 'data' },
  { name: 'dueDate', label: 'Due date', kind: 'date', editable: true, source: 'record' },
];

/** The field definition for a name a transition asks for; unknown names get a plain text area. */
export function fieldDef(fields: FieldDef[], name: string): FieldDef {
  return fields.find((f) => f.name === name) ?? { name, label: humanize(name), kind: 'textarea', editable: true, source: 'data' };
}

/** A field's value as shown: option labels instead of codes. */
export function optionLabel(def: FieldDef, value: unknown): string | undefined {
  if (def.kind !== 'select' || typeof value !== 'string') return undefined;
  return def.options?.find((o) => o.value === value)?.label;
}
