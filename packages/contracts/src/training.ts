import { z } from 'zod';
import { isoDateTime, optionalText, plainString, text, uuid } from './common.js';
import { roleName } from './auth.js';
import { departmentCode } from './documents.js';
import { signatureInput } from './records.js';

export const assignmentStatuses = ['open', 'completed', 'failed', 'superseded'] as const;
export const matrixStatuses = ['current', 'due', 'overdue', 'missing', 'failed'] as const;
export type MatrixStatus = (typeof matrixStatuses)[number];

export const assignment = z.object({
  id: uuid,
  userId: uuid,
  userName: z.string(),
  documentId: uuid,
  documentNumber: z.string(),
  title: z.string(),
  revisionId: uuid,
  versionLabel: z.string(),
  revisionStatus: z.string(),
  reason: z.string(),
  status: z.enum(assignmentStatuses),
  current: z.boolean(),
  overdue: z.boolean(),
  method: z.string(),
  assignedAt: isoDateTime,
  dueAt: isoDateTime,
  openedAt: isoDateTime.nullable(),
  completedAt: isoDateTime.nullable(),
  timeSpentSeconds: z.number().int().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int().nullable(),
  expiresAt: isoDateTime.nullable(),
  signatureManifestation: z.string().nullable(),
  changedSections: z.array(z.string()),
  trainingImpact: z.string().nullable(),
  version: z.number().int(),
});
export type Assignment = z.infer<typeof assignment>;

export const quizForTrainee = z.object({
  passMarkPercent: z.number().int(),
  maxAttempts: z.number().int(),
  questions: z.array(z.object({ prompt: z.string(), options: z.array(z.string()) })),
});

export const assignmentDetail = assignment.extend({
  body: z.string().nullable(),
  original: z.object({ fileName: z.string(), mediaType: z.string(), size: z.number().int(), sha256: z.string() }).nullable(),
  previousRevisionId: uuid.nullable(),
  quiz: quizForTrainee.nullable(),
  quizPassed: z.boolean(),
  canComplete: z.boolean(),
  blockedBecause: z.string().nullable(),
});

export const myTraining = z.object({ open: z.array(assignment), completed: z.array(assignment) });

export const completeTrainingRequest = z.object({
  version: z.number().int().min(1),
  /** Seconds the trainee spent on the document, as measured by the page; the server also records its own measure. */
  timeSpentSeconds: z.number().int().min(0).max(86_400).optional(),
  signature: signatureInput,
});

export const quizAnswersRequest = z.object({ answers: z.array(z.number().int().min(0).max(7)).min(1).max(50) }).strict();
export const quizResult = z.object({ scorePercent: z.number().int(), passed: z.boolean(), attempts: z.number().int(), attemptsLeft: z.number().int(), status: z.string() });

export const trainingSessionRequest = z.object({
  revisionId: uuid,
  heldAt: isoDateTime,
  durationMinutes: z.number().int().min(1).max(24 * 60),
  location: optionalText(200),
  notes: optionalText(5000),
  attendeeIds: z.array(uuid).min(1).max(500),
  signature: signatureInput,
});
export const trainingSession = z.object({ id: uuid, revisionId: uuid, trainerName: z.string(), heldAt: isoDateTime, durationMinutes: z.number().int(), attendees: z.number().int(), completed: z.number().int() });

export const matrixQuery = z.object({
  site: plainString(20).optional(),
  role: roleName.optional(),
  department: plainString(20).optional(),
  jobFunctionId: uuid.optional(),
  documentId: uuid.optional(),
  q: plainString(100).optional(),
  status: z.enum(matrixStatuses).optional(),
  cursor: plainString(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type MatrixQuery = z.infer<typeof matrixQuery>;

export const matrixCell = z.object({
  status: z.enum(matrixStatuses),
  versionLabel: z.string().nullable(),
  dueAt: isoDateTime.nullable(),
  completedAt: isoDateTime.nullable(),
  assignmentId: uuid.nullable(),
});
export const matrixPage = z.object({
  documents: z.array(z.object({ id: uuid, number: z.string(), title: z.string(), versionLabel: z.string().nullable() })),
  people: z.array(z.object({ id: uuid, fullName: z.string(), username: z.string(), department: z.string().nullable(), cells: z.record(z.string(), matrixCell) })),
  nextCursor: z.string().nullable(),
});
export const matrixSummary = z.object({ people: z.number().int(), current: z.number().int(), due: z.number().int(), overdue: z.number().int(), missing: z.number().int(), failed: z.number().int() });

export const qualificationQuery = z.object({ userId: uuid, documentId: uuid, at: isoDateTime.optional() });
export const qualification = z.object({
  userId: uuid,
  userName: z.string(),
  documentId: uuid,
  documentNumber: z.string(),
  at: isoDateTime,
  /** The revision that was effective at `at`, if any. */
  effectiveRevision: z.object({ id: uuid, versionLabel: z.string(), effectiveFrom: isoDateTime, effectiveTo: isoDateTime.nullable() }).nullable(),
  /** The revision whose training qualifies for it (itself, or an earlier one after an editorial change without retraining). */
  trainingBasis: z.object({ id: uuid, versionLabel: z.string() }).nullable(),
  qualified: z.boolean(),
  completion: z.object({ at: isoDateTime, method: z.string().nullable(), signatureId: uuid.nullable(), manifestation: z.string().nullable(), validUntil: isoDateTime.nullable() }).nullable(),
  explanation: z.string(),
});
export type Qualification = z.infer<typeof qualification>;

export const evidenceRow = z.object({
  userId: uuid,
  fullName: z.string(),
  username: z.string(),
  department: z.string().nullable(),
  status: z.string(),
  method: z.string().nullable(),
  assignedAt: isoDateTime,
  dueAt: isoDateTime,
  completedAt: isoDateTime.nullable(),
  timeSpentSeconds: z.number().int().nullable(),
  signature: z.object({ id: uuid, manifestation: z.string(), valid: z.boolean() }).nullable(),
});
export const evidenceQuery = z.object({ format: z.enum(['json', 'csv', 'pdf']).default('json') });
export const evidence = z.object({
  revisionId: uuid,
  number: z.string(),
  title: z.string(),
  versionLabel: z.string(),
  effectiveFrom: isoDateTime.nullable(),
  effectiveTo: isoDateTime.nullable(),
  summary: z.object({ required: z.number().int(), completed: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
  rows: z.array(evidenceRow),
});

export const jobFunction = z.object({ id: uuid, code: z.string(), name: z.string(), people: z.number().int(), documents: z.array(z.object({ id: uuid, number: z.string(), title: z.string() })) });
export const createJobFunctionRequest = z.object({ code: z.string().trim().regex(/^[A-Z][A-Z0-9_-]{1,29}$/, 'capital letters, digits, dash or underscore'), name: text(200) }).strict();

export const trainingProfile = z.object({ userId: uuid, department: z.string().nullable(), managerId: uuid.nullable(), managerName: z.string().nullable(), jobFunctionIds: z.array(uuid) });
export const trainingProfileRequest = z
  .object({
    reason: text(2000),
    department: departmentCode.nullable(),
    managerId: uuid.nullable(),
    jobFunctionIds: z.array(uuid).max(50),
  })
  .strict();
