import type { Actor } from '../../context.js';
import { can } from '../../identity/access.js';
import type { RecordRow } from '../../kernel/records.js';
import type { WorkflowDefinition } from '../../kernel/workflow.js';

const reviewerIds = (record: RecordRow) => (record.data.reviewerIds as string[] | undefined) ?? [];

/** Authors, reviewers, document control and auditors see every version; other readers only what is in force. */
export const seesAllVersions = (actor: Actor, siteId: string) =>
  can(actor, 'document:create', siteId) || can(actor, 'document:review', siteId) || can(actor, 'document:manage') || can(actor, 'training:read');

/**
 * A revision of a controlled document: written, reviewed in parallel by named reviewers, approved
 * by someone who did not write it, effective on its scheduled date (superseding the previous
 * revision at that moment), later superseded or made obsolete with the document.
 */
export const revisionWorkflow: WorkflowDefinition = {
  type: 'document_revision',
  version: 1,
  label: 'Document revision',
  numberPrefix: 'REV',
  clauses: ['21 CFR 211.100(a)', '21 CFR 820.40', 'EU GMP Ch. 4.3-4.5', 'ISO 13485 4.2.4', '21 CFR 11.10(f)', '21 CFR 11.50', '21 CFR 11.70'],
  initial: 'draft',
  roundStart: 'submit_for_review',
  pointOfUse: { states: ['effective'], seesAll: seesAllVersions },
  states: {
    draft: { label: 'Draft', editable: true },
    in_review: { label: 'In review' },
    approved: { label: 'Approved, awaiting effective date' },
    effective: { label: 'Effective' },
    superseded: { label: 'Superseded', final: true },
    obsolete: { label: 'Obsolete', final: true },
    withdrawn: { label: 'Withdrawn', final: true },
  },
  transitions: [
    {
      action: 'submit_for_review',
      label: 'Sign and send for review',
      from: ['draft'],
      to: 'in_review',
      permission: 'document:create',
      signature: { meanings: ['authorship'] },
      effects: ['notify-next-actors'],
    },
    {
      action: 'review',
      label: 'Sign review',
      from: ['in_review'],
      to: 'in_review',
      permission: 'document:review',
      signature: { meanings: ['review'] },
      segregation: { notActorOf: ['submit_for_review'], description: 'The author may not review their own revision' },
      check: (record, actor, history) => {
        if (!actor.id || !reviewerIds(record).includes(actor.id)) return 'You are not a named reviewer of this revision';
        return history.get('review')?.has(actor.id) ? 'You have already reviewed this revision' : null;
      },
    },
    {
      action: 'request_changes',
      label: 'Request changes',
      from: ['in_review'],
      to: 'draft',
      permission: 'document:review',
      requiresReason: true,
      effects: ['notify-next-actors'],
      check: (record, actor) => (actor.id && (reviewerIds(record).includes(actor.id) || record.owner_id === actor.id) ? null : 'Only a named reviewer or the author may send it back'),
    },
    {
      action: 'approve',
      label: 'Approve',
      from: ['in_review'],
      to: 'approved',
      permission: 'document:approve',
      requiredFields: ['effectiveAt', 'trainingImpact'],
      signature: { meanings: ['approval'] },
      segregation: { notActorOf: ['submit_for_review'], description: 'The author of a revision may not approve it' },
      effects: ['notify-next-actors'],
      check: (record, actor, history) => {
        if (record.owner_id === actor.id) return 'The author of a revision may not approve it';
        const pending = reviewerIds(record).filter((id) => !history.get('review')?.has(id));
        return pending.length > 0 ? `${pending.length} named reviewer(s) have not signed their review yet` : null;
      },
    },
    {
      action: 'withdraw',
      label: 'Withdraw revision',
      from: ['draft', 'in_review'],
      to: 'withdrawn',
      permission: 'document:create',
      requiresReason: true,
    },
    { action: 'become_effective', label: 'Become effective', from: ['approved'], to: 'effective', permission: 'document:approve', system: true },
    { action: 'supersede', label: 'Superseded by the next revision', from: ['effective'], to: 'superseded', permission: 'document:approve', system: true },
    { action: 'retire', label: 'Made obsolete with the document', from: ['effective', 'approved'], to: 'obsolete', permission: 'document:obsolete', system: true },
  ],
};

/**
 * The controlled document itself (SOP-QA-001): in preparation until its first revision is
 * effective, then effective with periodic reviews, finally obsolete with a reason.
 */
export const documentWorkflow: WorkflowDefinition = {
  type: 'document',
  version: 1,
  label: 'Controlled document',
  numberPrefix: 'DOC',
  clauses: ['21 CFR 211.100(a)', '21 CFR 820.40', 'EU GMP Ch. 4', 'ISO 13485 4.2.4'],
  initial: 'draft',
  pointOfUse: { states: ['effective'], seesAll: seesAllVersions },
  // A periodic review shows as a task from 30 days before it is due.
  taskWhen: (record, now) => Boolean(record.due_date && new Date(`${record.due_date}T00:00:00Z`).getTime() - now.getTime() < 30 * 86400_000),
  states: {
    draft: { label: 'In preparation' },
    effective: { label: 'Effective' },
    obsolete: { label: 'Obsolete', final: true },
  },
  transitions: [
    {
      action: 'periodic_review',
      label: 'Record periodic review',
      from: ['effective'],
      to: 'effective',
      permission: 'document:approve',
      requiredFields: ['lastReviewOutcome', 'reviewComment'],
      signature: { meanings: ['review'] },
    },
    {
      action: 'make_obsolete',
      label: 'Make obsolete',
      from: ['draft', 'effective'],
      to: 'obsolete',
      permission: 'document:obsolete',
      requiresReason: true,
      signature: { meanings: ['approval'] },
    },
    { action: 'become_effective', label: 'First revision effective', from: ['draft'], to: 'effective', permission: 'document:approve', system: true },
    { action: 'new_effective_revision', label: 'New revision effective', from: ['effective'], to: 'effective', permission: 'document:approve', system: true },
  ],
};
