import { z } from 'zod';
import { isoDate, isoDateTime, optionalText, plainString, text, uuid } from './common.js';
import { rootCauseCategories } from './deviations.js';
import { abilities, recordSummary, signatureInput } from './records.js';

export const capaSources = ['deviation', 'complaint', 'audit_finding', 'supplier_nonconformance', 'management_review', 'trend', 'other'] as const;
export const capaPriorities = ['low', 'medium', 'high', 'critical'] as const;
export const actionKinds = ['corrective', 'preventive', 'change_task'] as const;

const score = z.number().int().min(1).max(5);
const causes = z.array(text(500)).max(20);
/** Ishikawa (6M) causes as structured data. */
export const ishikawa = z.object(Object.fromEntries(rootCauseCategories.map((c) => [c, causes])) as Record<(typeof rootCauseCategories)[number], typeof causes>).partial().strict();

/** The controlled content of a CAPA. */
export const capaData = z.object({
  sourceType: z.enum(capaSources),
  sourceRecordId: uuid.nullable(),
  sourceNumber: z.string().nullable(),
  problemStatement: z.string(),
  riskSeverity: z.number().int().nullable(),
  riskOccurrence: z.number().int().nullable(),
  priority: z.enum(capaPriorities).nullable(),
  fiveWhys: z.array(z.string()),
  ishikawa: z.record(z.string(), z.array(z.string())),
  rootCause: z.string().nullable(),
  effectivenessCriteria: z.string().nullable(),
  effectivenessMethod: z.string().nullable(),
  effectivenessDueDate: z.string().nullable(),
  effectivenessResult: z.enum(['effective', 'not_effective']).nullable(),
  effectivenessEvidence: z.string().nullable(),
  closureSummary: z.string().nullable(),
  /** Whether the effectiveness check must be signed by someone other than the owner (the setting when the CAPA was opened). */
  independentEffectiveness: z.boolean().optional(),
});

export const createCapaRequest = z
  .object({
    title: text(200),
    siteCode: plainString(20).trim().min(1),
    sourceType: z.enum(capaSources),
    sourceRecordId: uuid.optional(),
    problemStatement: text(10000),
    riskSeverity: score.optional(),
    riskOccurrence: score.optional(),
    dueDate: isoDate.optional(),
  })
  .strict();

export const updateCapaRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    title: text(200).optional(),
    problemStatement: optionalText(10000),
    riskSeverity: score.optional(),
    riskOccurrence: score.optional(),
    fiveWhys: z.array(text(1000)).max(7).optional(),
    ishikawa: ishikawa.optional(),
    rootCause: optionalText(5000),
    effectivenessCriteria: optionalText(5000),
    effectivenessMethod: optionalText(5000),
    effectivenessDueDate: isoDate.optional(),
    effectivenessEvidence: optionalText(10000),
    closureSummary: optionalText(5000),
  })
  .strict();

export const actionSummary = z.object({
  id: uuid,
  number: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  ownerId: uuid,
  ownerName: z.string(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
});

export const extension = z.object({
  id: uuid,
  recordId: uuid,
  originalDueDate: z.string().nullable(),
  requestedDueDate: z.string(),
  justification: z.string(),
  requestedById: uuid,
  requestedByName: z.string(),
  requestedAt: isoDateTime,
  decision: z.enum(['pending', 'approved', 'rejected']),
  decidedByName: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  decisionReason: z.string().nullable(),
});
export const extensionRequest = z.object({ requestedDueDate: isoDate, justification: text(2000) }).strict();
export const extensionDecisionRequest = z.object({ approve: z.boolean(), reason: optionalText(2000), signature: signatureInput.optional() }).strict();
export const extensionParams = z.object({ id: uuid, extensionId: uuid });

export const capaDetail = recordSummary.extend({
  data: capaData,
  contentHash: z.string(),
  riskScore: z.number().int().nullable(),
  actions: z.array(actionSummary),
  extensions: z.array(extension),
  abilities: abilities.extend({ addAction: z.boolean(), requestExtension: z.boolean() }),
});

export const createActionRequest = z
  .object({
    kind: z.enum(actionKinds),
    title: text(200),
    description: text(5000),
    ownerId: uuid,
    dueDate: isoDate,
    requiresChange: z.boolean().default(false),
    requiresDocumentRevision: z.boolean().default(false),
  })
  .strict();

export const actionData = z.object({
  parentId: uuid,
  parentNumber: z.string(),
  parentType: z.string(),
  kind: z.enum(actionKinds),
  description: z.string(),
  requiresChange: z.boolean(),
  requiresDocumentRevision: z.boolean(),
  evidence: z.string().nullable(),
});
export const actionDetail = recordSummary.extend({ data: actionData, contentHash: z.string(), abilities: abilities.extend({ requestExtension: z.boolean() }) });

export const changeAreas = ['product', 'process', 'validation', 'regulatory', 'documents', 'training', 'suppliers', 'equipment', 'risk'] as const;
export type ChangeArea = (typeof changeAreas)[number];
export const changeControlTypes = ['permanent', 'temporary'] as const;

export const impactAssessment = z.object({ impacted: z.boolean(), assessment: z.string().nullable() });
export const changeData = z.object({
  reason: z.string(),
  scope: z.string(),
  changeType: z.enum(changeControlTypes),
  impacts: z.record(z.string(), impactAssessment),
  riskSeverity: z.number().int().nullable(),
  riskProbability: z.number().int().nullable(),
  /** The approver named for each impacted area. */
  approvers: z.record(z.string(), uuid),
  approverNames: z.record(z.string(), z.string()).optional(),
  verificationSummary: z.string().nullable(),
  closureSummary: z.string().nullable(),
});

export const createChangeRequest = z
  .object({
    title: text(200),
    siteCode: plainString(20).trim().min(1),
    reason: text(5000),
    scope: text(5000),
    changeType: z.enum(changeControlTypes).default('permanent'),
    sourceRecordId: uuid.optional(),
    dueDate: isoDate.optional(),
  })
  .strict();

export const updateChangeRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    title: text(200).optional(),
    changeReason: optionalText(5000),
    scope: optionalText(5000),
    impacts: z.partialRecord(z.enum(changeAreas), z.object({ impacted: z.boolean(), assessment: optionalText(5000).nullable() }).strict()).optional(),
    riskSeverity: score.optional(),
    riskProbability: score.optional(),
    approvers: z.partialRecord(z.enum(changeAreas), uuid).optional(),
    verificationSummary: optionalText(5000),
    closureSummary: optionalText(5000),
  })
  .strict();

export const changeApproval = z.object({ area: z.string(), approverId: uuid, approverName: z.string(), requiredRole: z.string(), approved: z.boolean(), approvedAt: isoDateTime.nullable() });

export const changeDetail = recordSummary.extend({
  data: changeData,
  contentHash: z.string(),
  riskScore: z.number().int().nullable(),
  approvals: z.array(changeApproval),
  actions: z.array(actionSummary),
  abilities: abilities.extend({ addAction: z.boolean() }),
});

export const changeImpact = z.object({
  documents: z.array(z.object({ id: uuid, number: z.string(), title: z.string(), status: z.string(), revisionInProgress: z.string().nullable(), peopleToTrain: z.number().int(), requirements: z.array(z.string()) })),
  openCapas: z.array(z.object({ id: uuid, number: z.string(), title: z.string(), status: z.string() })),
  linked: z.array(z.object({ id: uuid, type: z.string(), number: z.string(), title: z.string(), status: z.string() })),
  risk: z.object({ severity: z.number().int().nullable(), probability: z.number().int().nullable(), score: z.number().int().nullable(), assessment: z.string().nullable() }),
});

export const onTimeMetrics = z.object({
  type: z.string(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  closedOnTimeOriginalDue: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  extended: z.number().int(),
});
