import { z } from 'zod';
import { isoDateTime, optionalText, plainString, text, uuid } from './common.js';
import { roleName } from './auth.js';
import { abilities, recordSummary, signature } from './records.js';

export const documentTypeCodes = ['policy', 'sop', 'work_instruction', 'form', 'specification', 'protocol', 'quality_agreement', 'course'] as const;
export const documentTypeCode = z.enum(documentTypeCodes);

export const confidentialities = ['public', 'internal', 'confidential', 'restricted'] as const;
export const confidentiality = z.enum(confidentialities);

/** A department code as used in document numbers: SOP-QA-001. */
export const departmentCode = z.string().trim().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'two to ten capital letters or digits, starting with a letter');

export const documentType = z.object({
  code: z.string(),
  label: z.string(),
  prefix: z.string(),
  reviewMonths: z.number().int(),
  graceDays: z.number().int(),
  gatePercent: z.number().int().nullable(),
  retrainingMonths: z.number().int().nullable(),
  version: z.number().int(),
});
export type DocumentType = z.infer<typeof documentType>;

export const updateDocumentTypeRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    reviewMonths: z.number().int().min(1).max(120).optional(),
    graceDays: z.number().int().min(0).max(365).optional(),
    gatePercent: z.number().int().min(1).max(100).nullable().optional(),
    retrainingMonths: z.number().int().min(1).max(120).nullable().optional(),
  })
  .strict();

/** Who must read a document, and so be trained on each revision. */
export const distribution = z
  .object({
    roles: z.array(roleName).max(20).default([]),
    jobFunctionIds: z.array(uuid).max(200).default([]),
    departments: z.array(departmentCode).max(100).default([]),
    userIds: z.array(uuid).max(5000).default([]),
  })
  .strict();
export type Distribution = z.infer<typeof distribution>;

export const trainingImpacts = ['retrain_all', 'changed_sections', 'none'] as const;
export const trainingImpact = z.enum(trainingImpacts);
export const trainingMethods = ['read', 'quiz', 'instructor_led'] as const;
export const trainingMethod = z.enum(trainingMethods);
export const changeTypes = ['initial', 'major', 'minor'] as const;

export const quizQuestion = z
  .object({
    prompt: text(1000),
    options: z.array(text(500)).min(2).max(8),
    correctIndex: z.number().int().min(0).max(7),
  })
  .strict()
  .refine((q) => q.correctIndex < q.options.length, { message: 'must point at one of the options', path: ['correctIndex'] });
export const quiz = z
  .object({
    passMarkPercent: z.number().int().min(1).max(100),
    maxAttempts: z.number().int().min(1).max(10),
    questions: z.array(quizQuestion).min(1).max(50),
  })
  .strict();
export type Quiz = z.infer<typeof quiz>;

export const originalFile = z.object({ fileName: z.string(), mediaType: z.string(), size: z.number().int(), sha256: z.string() });

/** The controlled content of a document revision: what its content hash and signatures cover. */
export const revisionData = z.object({
  documentId: uuid,
  documentNumber: z.string(),
  docType: z.string(),
  versionLabel: z.string(),
  major: z.number().int(),
  minor: z.number().int(),
  changeType: z.enum(changeTypes),
  changeSummary: z.string().nullable(),
  body: z.string().nullable(),
  original: originalFile.nullable(),
  reviewerIds: z.array(uuid),
  effectiveAt: isoDateTime.nullable(),
  trainingImpact: trainingImpact.nullable(),
  trainingImpactJustification: z.string().nullable(),
  changedSections: z.array(z.string()),
  gracePeriodDays: z.number().int().nullable(),
  trainingMethod: trainingMethod,
  /** For trainees the correct answers are removed. */
  quiz: z.unknown().nullable(),
});
export type RevisionData = z.infer<typeof revisionData>;

export const documentData = z.object({
  docType: z.string(),
  department: z.string(),
  confidentiality: confidentiality,
  distribution: distribution,
  /** Processes whose signatures require current training on this document (training gate, 11.10(i)). */
  governs: z.array(z.string()).default([]),
  currentRevisionId: uuid.nullable(),
  currentVersionLabel: z.string().nullable(),
  effectiveFrom: isoDateTime.nullable(),
  lastReviewedAt: isoDateTime.nullable(),
  lastReviewOutcome: z.string().nullable(),
  reviewComment: z.string().nullable(),
});
export type DocumentData = z.infer<typeof documentData>;

export const createDocumentRequest = z
  .object({
    docType: documentTypeCode,
    siteCode: plainString(20).trim().min(1),
    department: departmentCode,
    title: text(300),
    confidentiality: confidentiality.default('internal'),
    body: optionalText(500_000),
    changeSummary: optionalText(5000),
  })
  .strict();

export const updateRevisionRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    title: text(300).optional(),
    body: optionalText(500_000),
    changeSummary: optionalText(5000),
    reviewerIds: z.array(uuid).max(20).optional(),
    effectiveAt: isoDateTime.nullable().optional(),
    trainingImpact: trainingImpact.nullable().optional(),
    trainingImpactJustification: optionalText(5000),
    changedSections: z.array(text(300)).max(100).optional(),
    gracePeriodDays: z.number().int().min(0).max(365).nullable().optional(),
    trainingMethod: trainingMethod.optional(),
    quiz: quiz.nullable().optional(),
  })
  .strict();

/** Processes a document can govern: signing their records needs current training on it. */
export const governableProcesses = ['deviation', 'document_revision', 'document'] as const;

export const updateDocumentRequest = z
  .object({
    version: z.number().int().min(1),
    reason: text(2000),
    confidentiality: confidentiality.optional(),
    governs: z.array(z.enum(governableProcesses)).max(10).optional(),
  })
  .strict();

export const newRevisionRequest = z.object({ changeType: z.enum(['major', 'minor']), changeSummary: text(5000) }).strict();

export const distributionRequest = distribution.extend({ version: z.number().int().min(1), reason: text(2000) }).strict();

export const periodicReviewOutcomes = ['no_change', 'revise', 'retire'] as const;

export const documentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: plainString(200).optional(),
  q: plainString(200).optional(),
  status: plainString(50).optional(),
  site: plainString(20).optional(),
  docType: plainString(50).optional(),
  department: plainString(20).optional(),
  sort: z.enum(['updatedAt', '-updatedAt', 'number', '-number', 'dueDate', '-dueDate']).default('number'),
  mine: z.coerce.boolean().optional(),
});

export const revisionSummary = z.object({
  id: uuid,
  number: z.string(),
  versionLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  changeType: z.string(),
  changeSummary: z.string().nullable(),
  authorName: z.string(),
  effectiveFrom: isoDateTime.nullable(),
  effectiveTo: isoDateTime.nullable(),
  effectiveAt: isoDateTime.nullable(),
  updatedAt: isoDateTime,
});

export const trainingCounts = z.object({ required: z.number().int(), completed: z.number().int(), open: z.number().int(), overdue: z.number().int() });

export const documentDetail = recordSummary.extend({
  data: documentData,
  contentHash: z.string(),
  typeLabel: z.string(),
  revisions: z.array(revisionSummary),
  distributionLabels: z.object({ jobFunctions: z.array(z.object({ id: uuid, name: z.string() })), users: z.array(z.object({ id: uuid, fullName: z.string() })) }),
  /** Training on the current effective revision (or its training basis). */
  training: trainingCounts.nullable(),
  abilities: abilities.extend({ newRevision: z.boolean(), distribute: z.boolean() }),
});
export type DocumentDetail = z.infer<typeof documentDetail>;

export const reviewerStatus = z.object({ userId: uuid, fullName: z.string(), reviewed: z.boolean(), reviewedAt: isoDateTime.nullable() });

export const revisionDetail = recordSummary.extend({
  data: revisionData,
  contentHash: z.string(),
  documentTitle: z.string(),
  documentStatus: z.string(),
  typeLabel: z.string(),
  department: z.string(),
  effectiveFrom: isoDateTime.nullable(),
  effectiveTo: isoDateTime.nullable(),
  reviewers: z.array(reviewerStatus),
  previousRevisionId: uuid.nullable(),
  training: trainingCounts,
  gate: z.object({ percent: z.number().int(), trainedPercent: z.number(), satisfied: z.boolean() }).nullable(),
  signatures: z.array(signature),
  abilities: abilities.extend({ uploadOriginal: z.boolean(), viewTraining: z.boolean(), deliverTraining: z.boolean() }),
});
export type RevisionDetail = z.infer<typeof revisionDetail>;

export const diffPart = z.object({ kind: z.enum(['added', 'removed', 'unchanged']), text: z.string() });
export const revisionDiff = z.object({
  from: z.object({ id: uuid, versionLabel: z.string() }),
  to: z.object({ id: uuid, versionLabel: z.string() }),
  parts: z.array(diffPart),
  fieldChanges: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
  originalChanged: z.boolean(),
});
export const diffQuery = z.object({ from: uuid, to: uuid });

export const documentPage = z.object({ items: z.array(recordSummary.extend({ docType: z.string(), department: z.string(), versionLabel: z.string().nullable() })), nextCursor: z.string().nullable(), total: z.number().int() });
