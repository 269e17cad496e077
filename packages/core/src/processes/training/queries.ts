import type { Assignment, MatrixQuery, MatrixStatus, Qualification, Quiz } from '@verity/contracts';
import type { Actor } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { getRecord, type RecordRow } from '../../kernel/records.js';
import { manifestation } from '../../kernel/signatures.js';
import type { AssignmentRow } from './commands.js';

type AssignmentListRow = AssignmentRow & {
  user_name: string;
  document_number: string;
  title: string;
  version_label: string;
  revision_status: string;
  training_method: string;
  max_attempts: number | null;
  changed_sections: string[] | null;
  training_impact: string | null;
  signer_name: string | null;
  signed_at: Date | null;
  meaning: string | null;
};

const assignmentSelect = `SELECT a.*, u.full_name AS user_name, d.number AS document_number, r.title, r.data->>'versionLabel' AS version_label, r.status AS revision_status,
    r.data->>'trainingMethod' AS training_method, (r.data->'quiz'->>'maxAttempts')::int AS max_attempts, r.data->'changedSections' AS changed_sections,
    r.data->>'trainingImpact' AS training_impact, s.signer_name, s.signed_at, s.meaning
  FROM training_assignment a JOIN app_user u ON u.id = a.user_id JOIN record d ON d.id = a.document_id JOIN record r ON r.id = a.revision_id
  LEFT JOIN signature s ON s.id = a.signature_id`;

function presentAssignment(a: AssignmentListRow, now: Date): Assignment {
  return {
    id: a.id,
    userId: a.user_id,
    userName: a.user_name,
    documentId: a.document_id,
    documentNumber: a.document_number,
    title: a.title,
    revisionId: a.revision_id,
    versionLabel: a.version_label,
    revisionStatus: a.revision_status,
    reason: a.reason,
    status: a.status,
    current: a.current,
    overdue: a.status === 'open' && a.due_at < now,
    method: a.method ?? a.training_method,
    assignedAt: a.assigned_at.toISOString(),
    dueAt: a.due_at.toISOString(),
    openedAt: a.opened_at?.toISOString() ?? null,
    completedAt: a.completed_at?.toISOString() ?? null,
    timeSpentSeconds: a.time_spent_seconds,
    attempts: a.attempts,
    maxAttempts: a.max_attempts,
    expiresAt: a.expires_at?.toISOString() ?? null,
    signatureManifestation: a.signer_name && a.signed_at && a.meaning ? manifestation(a.signer_name, a.signed_at, a.meaning) : null,
    changedSections: a.changed_sections ?? [],
    trainingImpact: a.training_impact,
    version: a.version,
  };
}

/** "My training": open assignments soonest due first, and the completed history. */
export async function myTraining(db: Queryable, actor: Actor, now: Date) {
  const rows = await db.query<AssignmentListRow>(`${assignmentSelect} WHERE a.user_id = $1 AND a.status <> 'superseded' ORDER BY a.due_at`, [actor.id]);
  const items = rows.map((r) => presentAssignment(r, now));
  return { open: items.filter((a) => a.status === 'open' || a.status === 'failed'), completed: items.filter((a) => a.status === 'completed').reverse() };
}

/** One assignment with what the trainee needs: the text or original, the changed sections, the quiz without answers. */
export async function assignmentDetail(db: Queryable, actor: Actor, id: string, now: Date) {
  const [row] = await db.query<AssignmentListRow>(`${assignmentSelect} WHERE a.id = $1`, [id]);
  if (!row || (row.user_id !== actor.id && !can(actor, 'training:read'))) throw new DomainError('NOT_FOUND', 'No such training assignment');
  const revision = (await getRecord(db, row.revision_id)) as RecordRow;
  const quiz = revision.data.trainingMethod === 'quiz' ? (revision.data.quiz as Quiz | null) : null;
  const [passed] = await db.query("SELECT 1 FROM training_ledger WHERE assignment_id = $1 AND event = 'quiz_passed' LIMIT 1", [id]);
  const [previous] = await db.query<{ id: string }>(
    `SELECT id FROM record WHERE type = 'document_revision' AND data->>'documentId' = $1 AND status IN ('effective', 'superseded') AND id <> $2
      AND ((data->>'major')::int, (data->>'minor')::int) < ($3::int, $4::int) ORDER BY (data->>'major')::int DESC, (data->>'minor')::int DESC LIMIT 1`,
    [row.document_id, row.revision_id, revision.data.major, revision.data.minor],
  );
  const own = row.user_id === actor.id;
  let blockedBecause: string | null = null;
  if (!own) blockedBecause = 'Only the trainee can sign their training';
  else if (row.status !== 'open') blockedBecause = `This training is ${row.status}`;
  else if (revision.data.trainingMethod === 'instructor_led') blockedBecause = 'Instructor-led: the trainer records your attendance';
  else if (quiz && !passed) blockedBecause = 'Pass the quiz first';
  return {
    ...presentAssignment(row, now),
    body: (revision.data.body as string | null) ?? null,
    original: (revision.data.original as Assignment & { fileName: string; mediaType: string; size: number; sha256: string }) ?? null,
    previousRevisionId: previous?.id ?? null,
    quiz: quiz ? { passMarkPercent: quiz.passMarkPercent, maxAttempts: quiz.maxAttempts, questions: quiz.questions.map((q) => ({ prompt: q.prompt, options: q.options })) } : null,
    quizPassed: Boolean(passed),
    canComplete: blockedBecause === null,
    blockedBecause,
  };
}

const matrixCursor = {
  encode: (name: string, id: string) => Buffer.from(JSON.stringify([name, id])).toString('base64url'),
  decode: (cursor: string): [string, string] => {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && typeof parsed[0] === 'string' && /^[0-9a-f-]{36}$/.test(parsed[1])) return [parsed[0], parsed[1]];
    } catch {
      // refused below
    }
    throw new DomainError('VALIDATION_FAILED', 'The cursor is not valid', [{ path: 'cursor', message: 'is not a cursor this server issued' }]);
  },
};

function peopleFilter(query: MatrixQuery, params: unknown[]): string[] {
  const where = ['u.active'];
  if (query.site) {
    params.push(query.site);
    where.push(`EXISTS (SELECT 1 FROM user_role ur JOIN site st ON st.id = ur.site_id WHERE ur.user_id = u.id AND st.code = $${params.length})`);
  }
  if (query.role) {
    params.push(query.role);
    where.push(`EXISTS (SELECT 1 FROM user_role rr WHERE rr.user_id = u.id AND rr.role = $${params.length})`);
  }
  if (query.department) {
    params.push(query.department);
    where.push(`u.department = $${params.length}`);
  }
  if (query.jobFunctionId) {
    params.push(query.jobFunctionId);
    where.push(`EXISTS (SELECT 1 FROM user_job_function j WHERE j.user_id = u.id AND j.job_function_id = $${params.length})`);
  }
  if (query.documentId) {
    params.push(query.documentId);
    where.push(`EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = u.id AND n.document_id = $${params.length})`);
  }
  if (query.q) {
    params.push(`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(u.full_name ILIKE $${params.length} OR u.username_key LIKE lower($${params.length}))`);
  }
  return where;
}

/**
 * People with at least one cell of a status, written per status so that each is an index probe on
 * the person's current assignments (training_assignment_current) rather than a scan of all needs.
 */
function statusFilter(status: MatrixStatus, now: string, documentParam: string | null): string {
  const onDocument = documentParam ? `AND a.document_id = ${documentParam}` : '';
  const needed = 'EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = a.user_id AND n.document_id = a.document_id)';
  const current = (condition: string) => `EXISTS (SELECT 1 FROM training_assignment a WHERE a.user_id = u.id AND a.current ${onDocument} AND ${condition} AND ${needed})`;
  switch (status) {
    case 'current':
      return current(`a.status = 'completed' AND (a.expires_at IS NULL OR a.expires_at > ${now})`);
    case 'due':
      return current(`a.status = 'open' AND a.due_at >= ${now}`);
    case 'overdue':
      return current(`((a.status = 'open' AND a.due_at < ${now}) OR (a.status = 'completed' AND a.expires_at <= ${now}))`);
    case 'failed':
      return current(`a.status = 'failed'`);
    case 'missing':
      // Fewer current assignments than needs (each count is an index range on the person).
      return documentParam
        ? `EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = u.id AND n.document_id = ${documentParam}
             AND NOT EXISTS (SELECT 1 FROM training_assignment a WHERE a.user_id = n.user_id AND a.document_id = n.document_id AND a.current))`
        : `(SELECT count(*) FROM training_need n WHERE n.user_id = u.id) >
           (SELECT count(*) FROM training_need n JOIN training_assignment a ON a.user_id = n.user_id AND a.document_id = n.document_id AND a.current WHERE n.user_id = u.id)`;
  }
}

/** The status of one matrix cell from the current assignment (if any) of a needed document. */
const cellStatus = `CASE WHEN a.id IS NULL THEN 'missing' WHEN a.status = 'failed' THEN 'failed'
  WHEN a.status = 'completed' AND (a.expires_at IS NULL OR a.expires_at > $now) THEN 'current'
  WHEN a.status = 'completed' THEN 'overdue' WHEN a.due_at < $now THEN 'overdue' ELSE 'due' END`;

/**
 * The training matrix: a page of people (by name, keyset-paginated) with, for each document they
 * need, current / due / overdue / missing / failed. One query for the page of people, one for
 * their cells.
 */
export async function trainingMatrix(db: Queryable, actor: Actor, query: MatrixQuery, now: Date) {
  if (!can(actor, 'training:read')) throw new DomainError('FORBIDDEN', 'You may not see the training of others');
  const params: unknown[] = [];
  const where = peopleFilter(query, params);
  if (query.status) {
    // Only statuses that depend on the time take it as a parameter (an unused parameter has no type).
    if (['current', 'due', 'overdue'].includes(query.status)) params.push(now);
    where.push(statusFilter(query.status, `$${params.length}`, query.documentId ? `$${params.indexOf(query.documentId) + 1}` : null));
  }
  if (query.cursor) {
    const [name, id] = matrixCursor.decode(query.cursor);
    params.push(name, id);
    where.push(`(u.full_name, u.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(query.limit + 1);
  const people = await db.query<{ id: string; full_name: string; username: string; department: string | null }>(
    `SELECT u.id, u.full_name, u.username, u.department FROM app_user u WHERE ${where.join(' AND ')} ORDER BY u.full_name, u.id LIMIT $${params.length}`,
    params,
  );
  const page = people.slice(0, query.limit);
  const cellParams: unknown[] = [page.map((p) => p.id), now];
  const cells = page.length
    ? await db.query<{ user_id: string; document_id: string; status: MatrixStatus; version_label: string | null; due_at: Date | null; completed_at: Date | null; assignment_id: string | null }>(
        `SELECT n.user_id, n.document_id, ${cellStatus.replaceAll('$now', '$2')} AS status, r.data->>'versionLabel' AS version_label, a.due_at, a.completed_at, a.id AS assignment_id
           FROM training_need n
           LEFT JOIN training_assignment a ON a.user_id = n.user_id AND a.document_id = n.document_id AND a.current
           LEFT JOIN record r ON r.id = a.revision_id
          WHERE n.user_id = ANY($1::uuid[]) ${query.documentId ? 'AND n.document_id = $3' : ''}`,
        query.documentId ? [...cellParams, query.documentId] : cellParams,
      )
    : [];
  const documentIds = [...new Set(cells.map((c) => c.document_id))];
  const documents = documentIds.length
    ? await db.query<{ id: string; number: string; title: string; version_label: string | null }>(
        "SELECT id, number, title, data->>'currentVersionLabel' AS version_label FROM record WHERE id = ANY($1::uuid[]) ORDER BY number",
        [documentIds],
      )
    : [];
  const byPerson = new Map<string, Record<string, unknown>>();
  for (const c of cells) {
    const row = byPerson.get(c.user_id) ?? {};
    row[c.document_id] = { status: c.status, versionLabel: c.version_label, dueAt: c.due_at?.toISOString() ?? null, completedAt: c.completed_at?.toISOString() ?? null, assignmentId: c.assignment_id };
    byPerson.set(c.user_id, row);
  }
  const last = page[page.length - 1];
  return {
    documents: documents.map((d) => ({ id: d.id, number: d.number, title: d.title, versionLabel: d.version_label })),
    people: page.map((p) => ({ id: p.id, fullName: p.full_name, username: p.username, department: p.department, cells: (byPerson.get(p.id) ?? {}) as never })),
    nextCursor: people.length > query.limit && last ? matrixCursor.encode(last.full_name, last.id) : null,
  };
}

/** Counts of matrix cells by status over everyone the filter selects. */
export async function matrixSummary(db: Queryable, actor: Actor, query: MatrixQuery, now: Date) {
  if (!can(actor, 'training:read')) throw new DomainError('FORBIDDEN', 'You may not see the training of others');
  const params: unknown[] = [];
  const where = peopleFilter(query, params);
  params.push(now);
  // Each cell's status is computed once, then counted by status; people are counted on their own.
  const cells = await db.query<{ status: MatrixStatus; n: number }>(
    `SELECT status, count(*)::int AS n FROM (
       SELECT ${cellStatus.replaceAll('$now', `$${params.length}`)} AS status
         FROM app_user u JOIN training_need n ON n.user_id = u.id
         LEFT JOIN training_assignment a ON a.user_id = n.user_id AND a.document_id = n.document_id AND a.current
        WHERE ${where.join(' AND ')}) cells
      GROUP BY status`,
    params,
  );
  const [{ people }] = await db.query<{ people: number }>(`SELECT count(*)::int AS people FROM app_user u WHERE ${where.join(' AND ')} AND EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = u.id)`, params.slice(0, -1));
  const row = { people, current: 0, due: 0, overdue: 0, missing: 0, failed: 0 };
  for (const c of cells) row[c.status] = c.n;
  return row as { people: number; current: number; due: number; overdue: number; missing: number; failed: number };
}

/** Every cell of the matrix for the filter, for CSV and XLSX export, in pages of people. */
export async function* matrixRows(db: Queryable, actor: Actor, query: Omit<MatrixQuery, 'cursor' | 'limit'>, now: Date) {
  let cursor: string | undefined;
  do {
    const page = await trainingMatrix(db, actor, { ...query, cursor, limit: 500 }, now);
    const byId = new Map(page.documents.map((d) => [d.id, d]));
    for (const person of page.people) {
      for (const [documentId, cell] of Object.entries(person.cells as Record<string, { status: string; versionLabel: string | null; dueAt: string | null; completedAt: string | null }>)) {
        yield { person, document: byId.get(documentId) as { number: string; title: string; versionLabel: string | null }, cell };
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * Point-in-time qualification from the effectivity periods and the append-only training ledger:
 * which revision was effective at `at`, which revision's training counts for it, and whether the
 * person had completed that training (still valid) at that moment.
 */
export async function qualificationAt(db: Queryable, actor: Actor, input: { userId: string; documentId: string; at?: string }, now: Date): Promise<Qualification> {
  if (input.userId !== actor.id && !can(actor, 'training:read')) throw new DomainError('FORBIDDEN', 'You may not see the training of others');
  const at = input.at ? new Date(input.at) : now;
  const [user] = await db.query<{ full_name: string }>('SELECT full_name FROM app_user WHERE id = $1', [input.userId]);
  if (!user) throw new DomainError('VALIDATION_FAILED', 'No such person', [{ path: 'userId', message: 'no such person' }]);
  const document = await getRecord(db, input.documentId, 'document');
  if (!document) throw new DomainError('VALIDATION_FAILED', 'No such document', [{ path: 'documentId', message: 'no such document' }]);
  const base = { userId: input.userId, userName: user.full_name, documentId: document.id, documentNumber: document.number, at: at.toISOString() };
  const [period] = await db.query<{ revision_id: string; version_label: string; training_basis_id: string; effective_from: Date; effective_to: Date | null; basis_label: string }>(
    `SELECT e.revision_id, e.version_label, e.training_basis_id, e.effective_from, e.effective_to, b.data->>'versionLabel' AS basis_label
       FROM document_effectivity e JOIN record b ON b.id = e.training_basis_id
      WHERE e.document_id = $1 AND e.effective_from <= $2 AND (e.effective_to IS NULL OR e.effective_to > $2)
      ORDER BY e.effective_from DESC LIMIT 1`,
    [document.id, at],
  );
  if (!period) {
    return { ...base, effectiveRevision: null, trainingBasis: null, qualified: false, completion: null, explanation: `No revision of ${document.number} was effective at ${at.toISOString()}` };
  }
  const effectiveRevision = { id: period.revision_id, versionLabel: period.version_label, effectiveFrom: period.effective_from.toISOString(), effectiveTo: period.effective_to?.toISOString() ?? null };
  const trainingBasis = { id: period.training_basis_id, versionLabel: period.basis_label };
  const [completion] = await db.query<{ at: Date; details: { method?: string }; signature_id: string | null; signer_name: string | null; signed_at: Date | null; meaning: string | null; expires_at: Date | null }>(
    `SELECT l.at, l.details, l.signature_id, s.signer_name, s.signed_at, s.meaning, a.expires_at
       FROM training_ledger l JOIN training_assignment a ON a.id = l.assignment_id LEFT JOIN signature s ON s.id = l.signature_id
      WHERE l.user_id = $1 AND l.revision_id = $2 AND l.event = 'completed' AND l.at <= $3
      ORDER BY l.at DESC LIMIT 1`,
    [input.userId, period.training_basis_id, at],
  );
  const label = `${document.number} v${period.version_label}`;
  if (!completion) {
    return { ...base, effectiveRevision, trainingBasis, qualified: false, completion: null, explanation: `${user.full_name} had not completed training on ${document.number} v${period.basis_label} by ${at.toISOString()}: not qualified for ${label}` };
  }
  const expired = completion.expires_at !== null && completion.expires_at <= at;
  return {
    ...base,
    effectiveRevision,
    trainingBasis,
    qualified: !expired,
    completion: {
      at: completion.at.toISOString(),
      method: completion.details.method ?? null,
      signatureId: completion.signature_id,
      manifestation: completion.signer_name && completion.signed_at && completion.meaning ? manifestation(completion.signer_name, completion.signed_at, completion.meaning) : null,
      validUntil: completion.expires_at?.toISOString() ?? null,
    },
    explanation: expired
      ? `${user.full_name}'s training on ${document.number} v${period.basis_label} had expired at ${completion.expires_at?.toISOString()}: periodic retraining was due`
      : `${user.full_name} was trained on ${document.number} v${period.basis_label} at ${completion.at.toISOString()}${period.training_basis_id !== period.revision_id ? ` (v${period.version_label} was an editorial change without retraining)` : ''}: qualified for ${label}`,
  };
}

/** Who was trained on a revision, when, how, with what signature: the evidence an inspector asks for. */
export async function trainingEvidence(db: Queryable, actor: Actor, revisionId: string, now: Date) {
  if (!can(actor, 'training:read')) throw new DomainError('FORBIDDEN', 'You may not see the training of others');
  const revision = await getRecord(db, revisionId, 'document_revision');
  if (!revision) throw new DomainError('NOT_FOUND', 'No such document revision');
  const [period] = await db.query<{ effective_from: Date; effective_to: Date | null }>('SELECT effective_from, effective_to FROM document_effectivity WHERE revision_id = $1', [revisionId]);
  const rows = await db.query<{
    user_id: string; full_name: string; username: string; department: string | null; status: string; method: string | null; assigned_at: Date; due_at: Date; completed_at: Date | null;
    time_spent_seconds: number | null; signature_id: string | null; signer_name: string | null; signed_at: Date | null; meaning: string | null; sig_hash: string | null;
  }>(
    `SELECT a.user_id, u.full_name, u.username, u.department, a.status, a.method, a.assigned_at, a.due_at, a.completed_at, a.time_spent_seconds,
            a.signature_id, s.signer_name, s.signed_at, s.meaning, s.content_hash AS sig_hash
       FROM training_assignment a JOIN app_user u ON u.id = a.user_id LEFT JOIN signature s ON s.id = a.signature_id
      WHERE a.revision_id = $1 AND a.status <> 'superseded'
      ORDER BY u.full_name, u.id, a.assigned_at`,
    [revisionId],
  );
  const summary = {
    required: rows.length,
    completed: rows.filter((r) => r.status === 'completed').length,
    open: rows.filter((r) => r.status === 'open').length,
    overdue: rows.filter((r) => r.status === 'open' && r.due_at < now).length,
  };
  return {
    revisionId,
    number: revision.data.documentNumber as string,
    title: revision.title,
    versionLabel: revision.data.versionLabel as string,
    effectiveFrom: period?.effective_from.toISOString() ?? null,
    effectiveTo: period?.effective_to?.toISOString() ?? null,
    summary,
    rows: rows.map((r) => ({
      userId: r.user_id,
      fullName: r.full_name,
      username: r.username,
      department: r.department,
      status: r.status,
      method: r.method,
      assignedAt: r.assigned_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      completedAt: r.completed_at?.toISOString() ?? null,
      timeSpentSeconds: r.time_spent_seconds,
      // A training signature is valid while it is bound to this revision's content (revisions are frozen once approved).
      signature: r.signature_id && r.signer_name && r.signed_at && r.meaning ? { id: r.signature_id, manifestation: manifestation(r.signer_name, r.signed_at, r.meaning), valid: r.sig_hash === revision.content_hash } : null,
    })),
  };
}

export async function jobFunctions(db: Queryable) {
  const rows = await db.query<{ id: string; code: string; name: string; people: number; documents: { id: string; number: string; title: string }[] | null }>(
    `SELECT f.id, f.code, f.name, (SELECT count(*)::int FROM user_job_function j WHERE j.job_function_id = f.id) AS people,
            (SELECT json_agg(json_build_object('id', d.id, 'number', d.number, 'title', d.title) ORDER BY d.number)
               FROM training_requirement tr JOIN record d ON d.id = tr.document_id
              WHERE tr.target_kind = 'job_function' AND tr.target = f.id::text AND tr.removed_at IS NULL AND d.status <> 'obsolete') AS documents
       FROM job_function f ORDER BY f.name`,
  );
  return rows.map((r) => ({ ...r, documents: r.documents ?? [] }));
}

export async function trainingProfileOf(db: Queryable, userId: string) {
  const [user] = await db.query<{ id: string; department: string | null; manager_id: string | null; manager_name: string | null; functions: string[] | null }>(
    `SELECT u.id, u.department, u.manager_id, m.full_name AS manager_name,
            (SELECT array_agg(job_function_id::text ORDER BY job_function_id) FROM user_job_function WHERE user_id = u.id) AS functions
       FROM app_user u LEFT JOIN app_user m ON m.id = u.manager_id WHERE u.id = $1`,
    [userId],
  );
  if (!user) throw new DomainError('NOT_FOUND', 'No such person');
  return { userId: user.id, department: user.department, managerId: user.manager_id, managerName: user.manager_name, jobFunctionIds: user.functions ?? [] };
}
