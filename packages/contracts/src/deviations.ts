import { z } from 'zod';
import { isoDate, isoDateTime, optionalText, plainString, text } from './common.js';
import { abilities, recordSummary } from './records.js';

export const deviationClassifications = ['minor', 'major', 'critical'] as const;
export const deviationClassification = z.enum(deviationClassifications);

/** Ishikawa 6M categories for the root cause. */
export const rootCauseCategories = ['man', 'machine', 'method', 'material', 'measurement', 'milieu'] as const;
export const rootCauseCategory = z.enum(rootCauseCategories);

export const deviationStatuses = ['reported', 'under_investigation', 'pending_qa_approval', 'approved', 'closed', 'cancelled'] as const;

/** The controlled content of a deviation: what its content hash and signatures cover. */
export const deviationData = z.object({
  description: z.string(),
  occurredAt: z.string(),
  area: z.string().nullable(),
  productBatch: z.string().nullable(),
  immediateAction: z.string().nullable(),
  classification: deviationClassification.nullable(),
  triageRationale: z.string().nullable(),
  rootCauseCategory: rootCauseCategory.nullable(),
  rootCause: z.string().nullable(),
  fiveWhys: z.array(z.string()),
  investigationSummary: z.string().nullable(),
  productImpact: z.string().nullable(),
  batchImpact: z.string().nullable(),
  capaDecision: z.enum(['required', 'not_required']).nullable(),
  capaDecisionJustification: z.string().nullable(),
  closureSummary: z.string().nullable(),
});
export type DeviationData = z.infer<typeof deviationData>;

export const createDeviationRequest = z
  .object({
    title: text(200),
    siteCode: plainString(20).trim().min(1),
    description: text(10000),
    occurredAt: isoDateTime,
    area: optionalText(200),
    productBatch: optionalText(200),
    immediateAction: optionalText(5000),
  })
  .strict();

/** Editable fields; `version` is the one the client read (stale -> 409), `reason` explains the change. */
export const updateDeviationRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    title: text(200).optional(),
    description: text(10000).optional(),
    area: optionalText(200),
    productBatch: optionalText(200),
    immediateAction: optionalText(5000),
    triageRationale: optionalText(5000),
    classification: deviationClassification.optional(),
    rootCauseCategory: rootCauseCategory.optional(),
    rootCause: optionalText(5000),
    fiveWhys: z.array(text(1000)).max(5).optional(),
    investigationSummary: optionalText(10000),
    productImpact: optionalText(5000),
    batchImpact: optionalText(5000),
    capaDecision: z.enum(['required', 'not_required']).optional(),
    capaDecisionJustification: optionalText(5000),
    closureSummary: optionalText(5000),
    dueDate: isoDate.optional(),
  })
  .strict();

export const deviationDetail = recordSummary.extend({
  data: deviationData,
  contentHash: z.string(),
  abilities,
});
export type DeviationDetail = z.infer<typeof deviationDetail>;
