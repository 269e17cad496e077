import { type ChangeArea, changeAreas, roleLabels, type RoleName } from '@verity/contracts';
import type { FieldDef } from '../record/fields';

/** The statuses of a change control, as the list filter offers them. */
export const changeStatusOptions = [
  { value: 'draft', label: 'Draft: impact assessment' },
  { value: 'in_approval', label: 'In approval' },
  { value: 'implementation', label: 'Implementation' },
  { value: 'verification', label: 'Effectiveness verification' },
  { value: 'closed', label: 'Closed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
];

/** The main path of a change, for the progress line in the header. */
export const changeSteps = [
  { status: 'draft', label: 'Impact assessment' },
  { status: 'in_approval', label: 'Approval' },
  { status: 'implementation', label: 'Implementation' },
  { status: 'verification', label: 'Verification' },
  { status: 'closed', label: 'Closed' },
];

export const changeTypeLabels: Record<string, string> = { permanent: 'Permanent', temporary: 'Temporary (time-limited)' };

/** Each area of the impact assessment: what it covers, and the role of the person who approves it. */
export const areaInfo: Record<ChangeArea, { label: string; hint: string; role: RoleName }> = {
  product: { label: 'Product', hint: 'Quality, safety, specifications, stability', role: 'qa_manager' },
  process: { label: 'Process', hint: 'Manufacturing or testing steps, parameters', role: 'qa_reviewer' },
  validation: { label: 'Validation', hint: 'Qualification, process or computer-system validation', role: 'qa_reviewer' },
  regulatory: { label: 'Regulatory', hint: 'Filings, registrations, notifications to authorities', role: 'qa_manager' },
  documents: { label: 'Documents', hint: 'SOPs, forms, specifications to revise', role: 'document_controller' },
  training: { label: 'Training', hint: 'Who must be trained, how', role: 'trainer' },
  suppliers: { label: 'Suppliers', hint: 'Materials, services, quality agreements', role: 'qa_reviewer' },
  equipment: { label: 'Equipment', hint: 'Instruments, facilities, utilities, software', role: 'qa_reviewer' },
  risk: { label: 'Risk', hint: 'Risk assessment of the change itself', role: 'qa_manager' },
};
export { changeAreas };

/** "QA reviewer (or QA manager)": who may approve an area. */
export function approverRoleLabel(role: string): string {
  const label = roleLabels[role as RoleName] ?? role;
  return role === 'qa_reviewer' ? `${label} or ${roleLabels.qa_manager}` : label;
}

/** Whether a person's roles at the site let them approve an area (a QA manager may stand in for a QA reviewer). */
export function holdsApproverRole(roles: { role: string; siteCode: string }[], role: string, siteCode: string): boolean {
  const atSite = roles.filter((r) => r.siteCode === siteCode).map((r) => r.role);
  return atSite.includes(role) || (role === 'qa_reviewer' && atSite.includes('qa_manager'));
}

export const severityLabels: Record<number, string> = { 1: 'Negligible', 2: 'Minor', 3: 'Moderate', 4: 'Major', 5: 'Critical' };
export const probabilityLabels: Record<number, string> = { 1: 'Rare', 2: 'Unlikely', 3: 'Possible', 4: 'Likely', 5: 'Almost certain' };

/** Low up to 4, medium up to 9, high from 10 (severity × probability). */
export function riskBand(score: number | null): { label: string; color: string } {
  if (score === null) return { label: 'Not assessed', color: 'gray' };
  if (score >= 10) return { label: 'High', color: 'red' };
  if (score >= 5) return { label: 'Medium', color: 'orange' };
  return { label: 'Low', color: 'teal' };
}

/** The change's fields as the audit trail, versions and workflow steps name them. */
export const changeFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: true, required: true, source: 'record' },
  { name: 'reason', label: 'Reason for the change', kind: 'textarea', editable: true, required: true, source: 'data' },
  { name: 'scope', label: 'Scope', kind: 'textarea', editable: true, required: true, source: 'data' },
  { name: 'changeType', label: 'Change type', kind: 'select', options: Object.entries(changeTypeLabels).map(([value, label]) => ({ value, label })), editable: false, source: 'data' },
  { name: 'impacts', label: 'Impact assessment', kind: 'textarea', editable: false, source: 'data' },
  { name: 'approvers', label: 'Approvers', kind: 'textarea', editable: false, source: 'data' },
  { name: 'riskSeverity', label: 'Risk severity', kind: 'text', editable: false, source: 'data' },
  { name: 'riskProbability', label: 'Risk probability', kind: 'text', editable: false, source: 'data' },
  {
    name: 'verificationSummary',
    label: 'Verification summary',
    kind: 'textarea',
    editable: true,
    source: 'data',
    description: 'How the change was shown to work as intended: evidence, results, records checked',
  },
  { name: 'closureSummary', label: 'Closure summary', kind: 'textarea', editable: true, source: 'data' },
  { name: 'dueDate', label: 'Due date', kind: 'date', editable: false, source: 'record' },
];
