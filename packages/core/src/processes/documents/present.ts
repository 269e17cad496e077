import type { DocumentDetail, RevisionDetail } from '@verity/contracts';
import { diffLines } from 'diff';
import type { Actor, Services } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can, readableSites } from '../../identity/access.js';
import { canonicalJson } from '../../kernel/canonical.js';
import { toSummary } from '../../kernel/record-queries.js';
import { getRecord, type RecordRow } from '../../kernel/records.js';
import { signaturesOf } from '../../kernel/signatures.js';
import { transitionAbilities, transitionActors, withGuards } from '../../kernel/workflow.js';
import { trainingCounts } from '../training/assign.js';
import { canEditRevision, emptyDistribution, gateOf, reviewGaps, revisionsOf, reviewersOf } from './commands.js';
import { documentType } from './types.js';
import { documentWorkflow, revisionWorkflow, seesAllVersions } from './workflow.js';

async function effectivityOf(db: Queryable, revisionIds: string[]) {
  const rows = revisionIds.length
    ? await db.query<{ revision_id: string; effective_from: Date; effective_to: Date | null }>('SELECT revision_id, effective_from, effective_to FROM document_effectivity WHERE revision_id = ANY($1::uuid[])', [revisionIds])
    : [];
  return new Map(rows.map((r) => [r.revision_id, { from: r.effective_from.toISOString(), to: r.effective_to?.toISOString() ?? null }]));
}

/** A controlled document as the API shows it: its revisions, distribution and training on the current revision. */
export async function presentDocument(db: Queryable, actor: Actor, document: RecordRow, now: Date): Promise<DocumentDetail> {
  const revisions = await revisionsOf(db, document.id);
  const periods = await effectivityOf(db, revisions.map((r) => r.id));
  const distribution = { ...emptyDistribution, ...(document.data.distribution as Partial<typeof emptyDistribution>) };
  const functions = await db.query<{ id: string; name: string }>('SELECT id, name FROM job_function WHERE id = ANY($1::uuid[]) ORDER BY name', [distribution.jobFunctionIds]);
  const users = await db.query<{ id: string; full_name: string }>('SELECT id, full_name FROM app_user WHERE id = ANY($1::uuid[]) ORDER BY full_name', [distribution.userIds]);
  const type = await documentType(db, document.data.docType as string);
  const currentId = document.data.currentRevisionId as string | null;
  const [basis] = currentId ? await db.query<{ training_basis_id: string }>('SELECT training_basis_id FROM document_effectivity WHERE revision_id = $1', [currentId]) : [];
  const open = !documentWorkflow.states[document.status]?.final;
  return {
    ...toSummary(document, documentWorkflow, now),
    data: { governs: [], ...document.data, distribution } as unknown as DocumentDetail['data'],
    contentHash: document.content_hash,
    typeLabel: type.label,
    revisions: revisions.map((r) => ({
      id: r.id,
      number: r.number,
      versionLabel: r.data.versionLabel as string,
      status: r.status,
      statusLabel: revisionWorkflow.states[r.status]?.label ?? r.status,
      changeType: r.data.changeType as string,
      changeSummary: (r.data.changeSummary as string | null) ?? null,
      authorName: r.owner_name,
      effectiveFrom: periods.get(r.id)?.from ?? null,
      effectiveTo: periods.get(r.id)?.to ?? null,
      effectiveAt: (r.data.effectiveAt as string | null) ?? null,
      updatedAt: r.updated_at.toISOString(),
    })),
    distributionLabels: { jobFunctions: functions, users: users.map((u) => ({ id: u.id, fullName: u.full_name })) },
    training: basis ? await trainingCounts(db, document.id, basis.training_basis_id, now) : null,
    abilities: {
      read: true,
      update: false,
      comment: can(actor, 'record:comment', document.site_id),
      attach: false,
      link: can(actor, 'record:link', document.site_id),
      transitions: transitionAbilities(documentWorkflow, document, actor, await transitionActors(db, document.id)),
      newRevision: open && can(actor, 'document:create', document.site_id) && !revisions.some((r) => ['draft', 'in_review', 'approved'].includes(r.status)),
      distribute: open && (can(actor, 'document:manage') || can(actor, 'document:create', document.site_id)),
    },
  };
}

/** The quiz as a trainee may see it: without the correct answers. */
function quizFor(actor: Actor, revision: RecordRow): unknown {
  const quiz = revision.data.quiz as { questions: { prompt: string; options: string[]; correctIndex?: number }[] } | null;
  if (!quiz || can(actor, 'document:create', revision.site_id) || can(actor, 'document:review', revision.site_id)) return quiz ?? null;
  return { ...quiz, questions: quiz.questions.map(({ prompt, options }) => ({ prompt, options })) };
}

/** A revision with its review status, signatures (without the many training signatures), training and gate. */
export async function presentRevision(services: Pick<Services, 'key'>, db: Queryable, actor: Actor, revision: RecordRow, now: Date): Promise<RevisionDetail> {
  const document = (await getRecord(db, revision.data.documentId as string)) as RecordRow;
  const type = await documentType(db, revision.data.docType as string);
  const periods = await effectivityOf(db, [revision.id]);
  const siblings = await revisionsOf(db, document.id);
  const previous = siblings.find((r) => r.status !== 'withdrawn' && r.id !== revision.id && (Number(r.data.major) < Number(revision.data.major) || (r.data.major === revision.data.major && Number(r.data.minor) < Number(revision.data.minor))));
  // Training signatures (thousands) are evidence of training, listed there, not among the document's approvals.
  const signatures = await signaturesOf(services, db, revision, { excludeActions: ['train', 'deliver_training'] });
  const open = !revisionWorkflow.states[revision.status]?.final;
  return {
    ...toSummary(revision, revisionWorkflow, now),
    data: { ...(revision.data as RevisionDetail['data']), quiz: quizFor(actor, revision) },
    contentHash: revision.content_hash,
    documentTitle: document.title,
    documentStatus: document.status,
    typeLabel: type.label,
    department: document.data.department as string,
    effectiveFrom: periods.get(revision.id)?.from ?? null,
    effectiveTo: periods.get(revision.id)?.to ?? null,
    reviewers: await reviewersOf(db, revision),
    previousRevisionId: previous?.id ?? null,
    training: await trainingCounts(db, document.id, revision.id, now),
    gate: ['approved', 'effective'].includes(revision.status) ? await gateOf(db, revision, now) : null,
    signatures,
    abilities: {
      read: true,
      update: canEditRevision(actor, revision),
      comment: can(actor, 'record:comment', revision.site_id),
      attach: open && can(actor, 'record:attach', revision.site_id),
      link: can(actor, 'record:link', revision.site_id),
      transitions: withGuards(transitionAbilities(revisionWorkflow, revision, actor, await transitionActors(db, revision.id, revisionWorkflow.roundStart)), {
        submit_for_review: revision.status === 'draft' ? reviewGaps(revision).map((m) => `${m.path.replace('fields.', '')}: ${m.message}`).join('; ') || null : null,
      }),
      uploadOriginal: canEditRevision(actor, revision),
      viewTraining: can(actor, 'training:read'),
      deliverTraining: ['approved', 'effective'].includes(revision.status) && can(actor, 'training:deliver', revision.site_id),
    },
  };
}

/** A line diff of the text of two revisions of the same document, and their other changed fields. */
export async function diffRevisions(db: Queryable, actor: Actor, from: RecordRow, to: RecordRow) {
  if (from.data.documentId !== to.data.documentId) throw new DomainError('VALIDATION_FAILED', 'Both revisions must belong to the same document', [{ path: 'to', message: 'is a revision of another document' }]);
  const parts = diffLines((from.data.body as string | null) ?? '', (to.data.body as string | null) ?? '').map((p) => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'unchanged', text: p.value }) as const);
  // Readers who only use documents do not see quiz answers.
  const compared = ['changeSummary', 'trainingMethod', ...(seesAllVersions(actor, to.site_id) ? ['quiz'] : []), 'reviewerIds', 'trainingImpact', 'changedSections', 'effectiveAt'];
  const fieldChanges = [
    ...(from.title !== to.title ? [{ field: 'title', old: from.title, new: to.title }] : []),
    ...compared.filter((f) => canonicalJson(from.data[f] ?? null) !== canonicalJson(to.data[f] ?? null)).map((field) => ({ field, old: from.data[field] ?? null, new: to.data[field] ?? null })),
  ];
  const originalOf = (r: RecordRow) => (r.data.original as { sha256: string } | null)?.sha256 ?? null;
  void db;
  return {
    from: { id: from.id, versionLabel: from.data.versionLabel as string },
    to: { id: to.id, versionLabel: to.data.versionLabel as string },
    parts,
    fieldChanges,
    originalChanged: originalOf(from) !== originalOf(to),
  };
}

const documentSorts = {
  updatedAt: 'r.updated_at',
  number: 'r.number',
  dueDate: "COALESCE(r.due_date, DATE '9999-12-31')",
} as const;

/** The documents library: filters by type, status, department, site and full text; offset-free keyset paging by the sort key. */
export async function listDocuments(
  db: Queryable,
  actor: Actor,
  query: { limit: number; cursor?: string; q?: string; status?: string; site?: string; docType?: string; department?: string; sort: string; mine?: boolean },
  now: Date,
) {
  const sites = can(actor, 'training:read') ? (await db.query<{ id: string }>('SELECT id FROM site')).map((s) => s.id) : readableSites(actor, 'document');
  if (sites.length === 0) return { items: [], nextCursor: null, total: 0 };
  const params: unknown[] = [sites];
  const where = ["r.type = 'document'", 'r.site_id = ANY($1::uuid[])'];
  const add = (value: unknown, clause: (n: number) => string) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (query.status) add(query.status, (n) => `r.status = $${n}`);
  if (query.site) add(query.site, (n) => `s.code = $${n}`);
  if (query.docType) add(query.docType, (n) => `r.data->>'docType' = $${n}`);
  if (query.department) add(query.department, (n) => `r.data->>'department' = $${n}`);
  if (query.mine && actor.id) add(actor.id, (n) => `r.owner_id = $${n}`);
  // Readers see the documents in force; authors, reviewers and auditors see every state.
  const allSites = sites.filter((site) => seesAllVersions(actor, site));
  add(allSites, (n) => `(r.status = 'effective' OR r.site_id = ANY($${n}::uuid[]))`);
  if (query.q) {
    add(query.q, (n) => `(r.search @@ websearch_to_tsquery('english', $${n}) OR r.number ILIKE '%' || $${n} || '%'
      OR EXISTS (SELECT 1 FROM record v WHERE v.type = 'document_revision' AND v.data->>'documentId' = r.id::text AND v.status IN ('effective', 'approved', 'in_review', 'draft') AND v.search @@ websearch_to_tsquery('english', $${n})))`);
  }
  const descending = query.sort.startsWith('-');
  const expression = documentSorts[query.sort.replace('-', '') as keyof typeof documentSorts];
  const filterParams = [...params];
  const filter = where.join(' AND ');
  if (query.cursor) {
    let cursor: { v: string; id: string };
    try {
      cursor = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (typeof cursor.v !== 'string' || !/^[0-9a-f-]{36}$/.test(cursor.id)) throw new Error('bad cursor');
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'The cursor is not valid', [{ path: 'cursor', message: 'is not a cursor this server issued' }]);
    }
    params.push(cursor.v, cursor.id);
    where.push(`((${expression})::text, r.id) ${descending ? '<' : '>'} ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(query.limit + 1);
  const direction = descending ? 'DESC' : 'ASC';
  const rows = await db.query<RecordRow & { sort_value: string }>(
    `SELECT r.id, r.type, r.number, r.site_id, s.code AS site_code, r.title, r.status, r.owner_id, u.full_name AS owner_name, r.due_date, r.data, r.version, r.content_hash,
            r.created_by, r.created_at, r.updated_at, (${expression})::text AS sort_value
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE ${where.join(' AND ')} ORDER BY (${expression})::text ${direction}, r.id ${direction} LIMIT $${params.length}`,
    params,
  );
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM (SELECT 1 FROM record r JOIN site s ON s.id = r.site_id WHERE ${filter} LIMIT 10001) t`, filterParams);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...toSummary(r, documentWorkflow, now), docType: r.data.docType as string, department: r.data.department as string, versionLabel: (r.data.currentVersionLabel as string | null) ?? null })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify({ v: last.sort_value, id: last.id })).toString('base64url') : null,
    total,
  };
}
