import {
  type DocumentDetail,
  type DocumentType,
  type RevisionDetail,
  documentDetail,
  documentPage,
  documentType,
  evidence,
  jobFunction,
  revisionDetail,
  revisionDiff,
} from '@verity/contracts';
import { z } from 'zod';
import { api } from '../api';
import type { ListParams, TransitionInput } from '../endpoints';
import { withQuery } from '../router';

/**
 * The typed client of document control: one function per endpoint, typed by the shared contracts.
 * Kept beside the pages that use it (the core client in ../endpoints.ts stays small).
 */

export type { DocumentDetail, DocumentType, RevisionDetail };
export type DocumentPage = z.infer<typeof documentPage>;
export type DocumentListItem = DocumentPage['items'][number];
export type RevisionDiff = z.infer<typeof revisionDiff>;
export type TrainingEvidence = z.infer<typeof evidence>;
export type JobFunction = z.infer<typeof jobFunction>;
export type RevisionSummary = DocumentDetail['revisions'][number];

export interface DocumentListParams extends ListParams {
  docType?: string;
  department?: string;
}

export interface DocumentTypeChange {
  version: number;
  reason: string;
  reviewMonths?: number;
  graceDays?: number;
  gatePercent?: number | null;
  retrainingMonths?: number | null;
}

export interface RevisionChange {
  version: number;
  reason: string;
  title?: string;
  body?: string;
  changeSummary?: string;
  reviewerIds?: string[];
  trainingMethod?: string;
  quiz?: unknown;
}

export interface DistributionChange {
  version: number;
  reason: string;
  roles: string[];
  jobFunctionIds: string[];
  departments: string[];
  userIds: string[];
}

const doc = (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`;
const rev = (id: string) => `/api/v1/document-revisions/${encodeURIComponent(id)}`;
const items = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

export const documentEndpoints = {
  documentTypes: () => api.get<{ items: DocumentType[] }>('/api/v1/document-types', { schema: items(documentType) }),
  updateDocumentType: (code: string, body: DocumentTypeChange) =>
    api.patch<DocumentType>(`/api/v1/document-types/${encodeURIComponent(code)}`, body, { schema: documentType }),

  listDocuments: (params: DocumentListParams) => api.get<DocumentPage>(withQuery('/api/v1/documents', { ...params }), { schema: documentPage }),
  createDocument: (body: Record<string, unknown>) => api.post<DocumentDetail>('/api/v1/documents', body, { schema: documentDetail }),
  getDocument: (id: string) => api.get<DocumentDetail>(doc(id), { schema: documentDetail }),
  startRevision: (id: string, body: { changeType: 'major' | 'minor'; changeSummary: string }) =>
    api.post<RevisionDetail>(`${doc(id)}/revisions`, body, { schema: revisionDetail }),
  setDistribution: (id: string, body: DistributionChange) => api.put<DocumentDetail>(`${doc(id)}/distribution`, body, { schema: documentDetail }),
  transitionDocument: (id: string, body: TransitionInput) => api.post<DocumentDetail>(`${doc(id)}/transitions`, body, { schema: documentDetail }),
  diff: (id: string, from: string, to: string) => api.get<RevisionDiff>(withQuery(`${doc(id)}/diff`, { from, to }), { schema: revisionDiff }),

  getRevision: (id: string) => api.get<RevisionDetail>(rev(id), { schema: revisionDetail }),
  updateRevision: (id: string, body: RevisionChange) => api.patch<RevisionDetail>(rev(id), body, { schema: revisionDetail }),
  transitionRevision: (id: string, body: TransitionInput) => api.post<RevisionDetail>(`${rev(id)}/transitions`, body, { schema: revisionDetail }),
  /** The server reads the multipart fields in order: "version" must come before "file". */
  uploadOriginal: (id: string, version: number, file: File) => {
    const form = new FormData();
    form.append('version', String(version));
    form.append('file', file);
    return api.post<RevisionDetail>(`${rev(id)}/original`, form, { schema: revisionDetail });
  },
  trainingEvidence: (id: string) => api.get<TrainingEvidence>(`${rev(id)}/training`, { schema: evidence }),

  jobFunctions: () => api.get<{ items: JobFunction[] }>('/api/v1/job-functions', { schema: items(jobFunction) }),
};

/** Links to files the browser downloads or opens itself. */
export const documentFiles = {
  original: (revisionId: string) => `${rev(revisionId)}/original`,
  rendition: (revisionId: string) => `${rev(revisionId)}/rendition.pdf`,
  trainingCsv: (revisionId: string) => `${rev(revisionId)}/training.csv`,
  trainingPdf: (revisionId: string) => `${rev(revisionId)}/training.pdf`,
};
