import {
  assignmentDetail,
  documentDetail,
  documentPage,
  evidence,
  jobFunction,
  matrixPage,
  matrixSummary,
  myTraining,
  qualification,
  quizResult,
  revisionDetail,
  revisionDiff,
  type SignatureInput,
  trainingProfile,
  trainingSession,
} from '@verity/contracts';
import { z } from 'zod';
import { api } from '../api';
import { withQuery } from '../router';

/**
 * The typed client of the training API (and the few document calls the training pages need),
 * kept apart from endpoints.ts so that the training pages own their calls.
 */

export type Assignment = z.infer<typeof myTraining>['open'][number];
export type AssignmentDetail = z.infer<typeof assignmentDetail>;
export type MyTraining = z.infer<typeof myTraining>;
export type QuizResult = z.infer<typeof quizResult>;
export type MatrixPage = z.infer<typeof matrixPage>;
export type MatrixPerson = MatrixPage['people'][number];
export type MatrixDocument = MatrixPage['documents'][number];
export type MatrixCell = MatrixPerson['cells'][string];
export type MatrixSummary = z.infer<typeof matrixSummary>;
export type Qualification = z.infer<typeof qualification>;
export type JobFunction = z.infer<typeof jobFunction>;
export type TrainingProfile = z.infer<typeof trainingProfile>;
export type TrainingSession = z.infer<typeof trainingSession>;
export type Evidence = z.infer<typeof evidence>;
export type RevisionDiff = z.infer<typeof revisionDiff>;
export type RevisionDetail = z.infer<typeof revisionDetail>;
export type DocumentDetail = z.infer<typeof documentDetail>;
export type DocumentPage = z.infer<typeof documentPage>;
export type DocumentListItem = DocumentPage['items'][number];

/** The filters of the training matrix, its summary and its downloads (all optional). */
export interface MatrixFilters {
  site?: string;
  role?: string;
  department?: string;
  jobFunctionId?: string;
  documentId?: string;
  q?: string;
  status?: string;
}

export interface CompleteTrainingInput {
  version: number;
  timeSpentSeconds?: number;
  signature: SignatureInput;
}

export interface SessionInput {
  revisionId: string;
  heldAt: string;
  durationMinutes: number;
  location?: string;
  notes?: string;
  attendeeIds: string[];
  signature: SignatureInput;
}

export interface ProfileInput {
  reason: string;
  department: string | null;
  managerId: string | null;
  jobFunctionIds: string[];
}

const assignmentPath = (id: string) => `/api/v1/training/assignments/${encodeURIComponent(id)}`;
const revisionPath = (id: string) => `/api/v1/document-revisions/${encodeURIComponent(id)}`;
const jobFunctionList = z.object({ items: z.array(jobFunction) });

export const training = {
  my: () => api.get<MyTraining>('/api/v1/training/my', { schema: myTraining }),
  assignment: (id: string) => api.get<AssignmentDetail>(assignmentPath(id), { schema: assignmentDetail }),
  open: (id: string) => api.post<AssignmentDetail>(`${assignmentPath(id)}/open`, undefined, { schema: assignmentDetail }),
  answerQuiz: (id: string, answers: number[]) => api.post<QuizResult>(`${assignmentPath(id)}/quiz`, { answers }, { schema: quizResult }),
  complete: (id: string, body: CompleteTrainingInput) => api.post<AssignmentDetail>(`${assignmentPath(id)}/complete`, body, { schema: assignmentDetail }),
  reassign: (id: string, reason: string) => api.post<{ id: string }>(`${assignmentPath(id)}/reassign`, { reason }),
  recordSession: (body: SessionInput) => api.post<TrainingSession>('/api/v1/training/sessions', body, { schema: trainingSession }),

  matrix: (filters: MatrixFilters & { cursor?: string; limit?: number }) => api.get<MatrixPage>(withQuery('/api/v1/training/matrix', { ...filters }), { schema: matrixPage }),
  matrixSummary: (filters: MatrixFilters) => api.get<MatrixSummary>(withQuery('/api/v1/training/matrix/summary', { ...filters }), { schema: matrixSummary }),
  /** Download links: the browser sends the session cookie, the server answers with an attachment. */
  matrixDownloadUrl: (format: 'csv' | 'xlsx', filters: MatrixFilters) => withQuery(`/api/v1/training/matrix.${format}`, { ...filters }),

  qualification: (params: { userId: string; documentId: string; at?: string }) =>
    api.get<Qualification>(withQuery('/api/v1/training/qualification', { ...params }), { schema: qualification }),

  jobFunctions: () => api.get<{ items: JobFunction[] }>('/api/v1/job-functions', { schema: jobFunctionList }),
  createJobFunction: (body: { code: string; name: string }) => api.post<JobFunction>('/api/v1/job-functions', body, { schema: jobFunction }),
  profile: (userId: string) => api.get<TrainingProfile>(`/api/v1/users/${encodeURIComponent(userId)}/training-profile`, { schema: trainingProfile }),
  setProfile: (userId: string, body: ProfileInput) => api.put<TrainingProfile>(`/api/v1/users/${encodeURIComponent(userId)}/training-profile`, body, { schema: trainingProfile }),

  // document calls the training pages need
  documents: (q: string) => api.get<DocumentPage>(withQuery('/api/v1/documents', { q, limit: 20 }), { schema: documentPage }),
  document: (id: string) => api.get<DocumentDetail>(`/api/v1/documents/${encodeURIComponent(id)}`, { schema: documentDetail }),
  revision: (id: string) => api.get<RevisionDetail>(revisionPath(id), { schema: revisionDetail }),
  evidence: (revisionId: string) => api.get<Evidence>(`${revisionPath(revisionId)}/training`, { schema: evidence }),
  diff: (documentId: string, from: string, to: string) =>
    api.get<RevisionDiff>(withQuery(`/api/v1/documents/${encodeURIComponent(documentId)}/diff`, { from, to }), { schema: revisionDiff }),
  originalUrl: (revisionId: string) => `${revisionPath(revisionId)}/original`,
  renditionUrl: (revisionId: string) => `${revisionPath(revisionId)}/rendition.pdf`,
  evidencePdfUrl: (revisionId: string) => `${revisionPath(revisionId)}/training.pdf`,
};
