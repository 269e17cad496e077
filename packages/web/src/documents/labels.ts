import { confidentialities, type trainingImpacts, trainingMethods } from '@verity/contracts';
import type { FieldDef } from '../record/fields';

/** The statuses of a controlled document, as the library filter offers them. */
export const documentStatusOptions = [
  { value: 'draft', label: 'In preparation' },
  { value: 'effective', label: 'Effective' },
  { value: 'obsolete', label: 'Obsolete' },
];

export const confidentialityLabels: Record<(typeof confidentialities)[number], string> = {
  public: 'Public',
  internal: 'Internal',
  confidential: 'Confidential',
  restricted: 'Restricted',
};
export const confidentialityOptions = confidentialities.map((value) => ({ value, label: confidentialityLabels[value] }));

export const trainingMethodLabels: Record<(typeof trainingMethods)[number], string> = {
  read: 'Read and sign',
  quiz: 'Read, pass a quiz, sign',
  instructor_led: 'Instructor-led session',
};
export const trainingMethodOptions = trainingMethods.map((value) => ({ value, label: trainingMethodLabels[value] }));

export const trainingImpactLabels: Record<(typeof trainingImpacts)[number], string> = {
  retrain_all: 'Retrain everyone on the whole document',
  changed_sections: 'Train on the changed sections only',
  none: 'No retraining (editorial change)',
};

export const changeTypeLabels: Record<string, string> = { initial: 'New document', major: 'Major (content) change', minor: 'Minor (editorial) change' };

export const reviewOutcomeLabels: Record<string, string> = {
  no_change: 'Still valid, no change needed',
  revise: 'Needs a revision',
  retire: 'To be retired (made obsolete)',
};

/**
 * Roles that hold "document:review" (packages/core/src/identity/access.ts): used only to narrow the
 * reviewer picker; the server checks every named reviewer again.
 */
export const reviewerRoles = new Set(['investigator', 'qa_reviewer', 'qa_manager', 'document_controller', 'trainer']);

/** Labels of a revision's fields in the audit trail, versions and the diff. */
export const revisionFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: true, source: 'record' },
  { name: 'changeSummary', label: 'Change summary', kind: 'textarea', editable: true, source: 'data' },
  { name: 'body', label: 'Text', kind: 'textarea', editable: true, source: 'data' },
  { name: 'original', label: 'Original file', kind: 'text', editable: false, source: 'data' },
  { name: 'reviewerIds', label: 'Reviewers', kind: 'lines', editable: true, source: 'data' },
  { name: 'trainingMethod', label: 'Training method', kind: 'select', editable: true, source: 'data' },
  { name: 'quiz', label: 'Quiz', kind: 'text', editable: true, source: 'data' },
  { name: 'effectiveAt', label: 'Effective at', kind: 'datetime', editable: false, source: 'data' },
  { name: 'trainingImpact', label: 'Training impact', kind: 'select', editable: false, source: 'data' },
  { name: 'trainingImpactJustification', label: 'Why no retraining', kind: 'textarea', editable: false, source: 'data' },
  { name: 'changedSections', label: 'Changed sections', kind: 'lines', editable: false, source: 'data' },
  { name: 'gracePeriodDays', label: 'Grace period (days)', kind: 'text', editable: false, source: 'data' },
];

/** Labels of a document's own fields in its audit trail. */
export const documentFields: FieldDef[] = [
  { name: 'title', label: 'Title', kind: 'text', editable: false, source: 'record' },
  { name: 'docType', label: 'Type', kind: 'text', editable: false, source: 'data' },
  { name: 'department', label: 'Department', kind: 'text', editable: false, source: 'data' },
  { name: 'confidentiality', label: 'Confidentiality', kind: 'text', editable: false, source: 'data' },
  { name: 'distribution', label: 'Distribution', kind: 'text', editable: false, source: 'data' },
  { name: 'currentRevisionId', label: 'Current revision', kind: 'text', editable: false, source: 'data' },
  { name: 'currentVersionLabel', label: 'Current version', kind: 'text', editable: false, source: 'data' },
  { name: 'effectiveFrom', label: 'Effective from', kind: 'datetime', editable: false, source: 'data' },
  { name: 'dueDate', label: 'Next periodic review', kind: 'date', editable: false, source: 'record' },
  { name: 'lastReviewOutcome', label: 'Periodic review outcome', kind: 'text', editable: false, source: 'data' },
  { name: 'reviewComment', label: 'Periodic review comment', kind: 'textarea', editable: false, source: 'data' },
  { name: 'lastReviewedAt', label: 'Last periodic review', kind: 'datetime', editable: false, source: 'data' },
];
