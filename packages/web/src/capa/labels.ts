import { capaSources } from '@verity/contracts';
import type { FieldDef } from '../record/fields';

/** The CAPA statuses, in workflow order, as the list filter and the progress strip show them. */
export const capaStatusOptions = [
  { value: 'open', label: 'Open' },
  { value: 'investigation', label: 'Investigation' },
  { value: 'implementation', label: 'Implementing actions' },
  { value: 'effectiveness_check', label: 'Effectiveness check due' },
  { value: 'verified', label: 'Effective, to close' },
  { value: 'closed', label: 'Closed' },
  { value: 'cancelled', label: 'Cancelled' },
];

export const capaSourceLabels: Record<(typeof capaSources)[number], string> = {
  deviation: 'Deviation',
  complaint: 'Complaint',
  audit_finding: 'Audit finding',
  supplier_nonconformance: 'Supplier nonconformance',
  management_review: 'Management review',
  trend: 'Trend analysis',
  other: 'Other',
};
export const capaSourceOptions = capaSources.map((value) => ({ value, label: capaSourceLabels[value] }));

export const actionKindLabels: Record<string, string> = { corrective: 'Corrective', preventive: 'Preventive', change_task: 'Change task' };

export type Priority = 'low' | 'medium' | 'high' | 'critical';
export const priorityLabels: Record<Priority, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const priorityColors: Record<Priority, string> = { low: 'green', medium: 'yellow', high: 'orange', critical: 'red' };

/** The server's rule, for a preview while choosing: severity x occurrence (1-25) → priority. */
export function priorityOf(severity: number | null | undefined, occurrence: number | null | undefined): Priority | null {
  if (!severity || !occurrence) return null;
  const score = severity * occurrence;
  return score >= 20 ? 'critical' : score >= 12 ? 'high' : score >= 6 ? 'medium' : 'low';
}

export const severityLabels = ['Negligible', 'Minor', 'Moderate', 'Major', 'Critical'];
export const occurrenceLabels = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Frequent'];

/**
 * The CAPA's fields: how the audit trail and versions name them, and the inputs the workflow steps
 * ask for (the risk scores are asked with the matrix instead).
 */
export const capaFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: true, required: true, source: 'record' },
  { name: 'sourceType', label: 'Source', kind: 'select', options: capaSourceOptions, editable: false, source: 'data' },
  { name: 'sourceNumber', label: 'Source record', kind: 'text', editable: false, source: 'data' },
  { name: 'problemStatement', label: 'Problem statement', kind: 'textarea', editable: true, required: true, source: 'data', description: 'What is wrong, where, how often, since when: the facts' },
  { name: 'riskSeverity', label: 'Risk severity', kind: 'text', editable: true, source: 'data' },
  { name: 'riskOccurrence', label: 'Risk occurrence', kind: 'text', editable: true, source: 'data' },
  { name: 'priority', label: 'Priority', kind: 'text', editable: false, source: 'data' },
  { name: 'fiveWhys', label: '5 whys', kind: 'lines', maxLines: 7, editable: true, source: 'data', description: 'Ask "why?" until you reach a cause you can act on' },
  { name: 'ishikawa', label: 'Ishikawa (6M)', kind: 'text', editable: true, source: 'data' },
  { name: 'rootCause', label: 'Root cause', kind: 'textarea', editable: true, source: 'data', description: 'The cause the actions remove' },
  { name: 'effectivenessCriteria', label: 'Effectiveness criteria', kind: 'textarea', editable: true, source: 'data', description: 'What will show that the actions worked, e.g. no recurrence in 3 months' },
  { name: 'effectivenessMethod', label: 'Effectiveness check method', kind: 'textarea', editable: true, source: 'data', description: 'How it will be checked: trend review, audit, sampling…' },
  { name: 'effectivenessDueDate', label: 'Effectiveness check due', kind: 'date', editable: true, source: 'data' },
  { name: 'effectivenessResult', label: 'Effectiveness result', kind: 'text', editable: false, source: 'data' },
  { name: 'effectivenessEvidence', label: 'Effectiveness evidence', kind: 'textarea', editable: true, source: 'data', description: 'What was checked and what was found' },
  { name: 'closureSummary', label: 'Closure summary', kind: 'textarea', editable: true, source: 'data' },
  { name: 'dueDate', label: 'Due date', kind: 'date', editable: false, source: 'record' },
];

/** The action's fields (read-only: an action is planned once, then completed with evidence). */
export const actionFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: false, source: 'record' },
  {
    name: 'kind',
    label: 'Kind',
    kind: 'select',
    options: Object.entries(actionKindLabels).map(([value, label]) => ({ value, label })),
    editable: false,
    source: 'data',
  },
  { name: 'description', label: 'What is to be done', kind: 'textarea', editable: false, source: 'data' },
  { name: 'evidence', label: 'Evidence of completion', kind: 'textarea', editable: false, source: 'data', description: 'What was done, with references (work order, document, training record…)' },
];
