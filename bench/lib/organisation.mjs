// Generates a large organisation directly in the database: people, sites, departments, job functions,
// controlled documents with effective revisions (records hashed and chained as the kernel writes them),
// who needs which document, and their training history. Big tables are filled with set-based SQL;
// the ~1,200 document records are built here so their content hashes and version chains are right.
//
// Not generated: audit entries of the generated records, and approval signatures of the generated
// revisions. Training signatures of generated completions carry a placeholder seal (they are never
// verified by what is benchmarked); the benchmark's own revisions carry real ones.
import { randomUUID } from 'node:crypto';
import { benchUuidSql, contentHash, contentOf, versionHash } from './canonical.mjs';

export const sites = [
  ['BER', 'Berlin manufacturing'],
  ['BOS', 'Boston biologics'],
  ['DUB', 'Dublin fill-finish'],
  ['SIN', 'Singapore API'],
  ['BSL', 'Basel development'],
];
export const departments = ['QA', 'QC', 'PRD', 'PKG', 'ENG', 'WH', 'VAL', 'MIC', 'RA', 'SC'];
/** The job function every second person holds: the benchmark distributes its own documents to it. */
export const coreFunction = { code: 'GMP-CORE', name: 'GMP core (all GMP staff)' };
const functionNames = [
  'Filling operator', 'Compression operator', 'Granulation operator', 'Packaging operator', 'Warehouse operative', 'QC analyst, chemistry', 'QC analyst, microbiology',
  'QA specialist', 'QA batch release', 'Validation engineer', 'Maintenance technician', 'Calibration technician', 'Process engineer', 'Cleanroom cleaner',
  'Sterilisation operator', 'Visual inspector', 'Line supervisor', 'Shift manager', 'Regulatory affairs officer', 'Supply chain planner', 'Document controller',
  'Trainer', 'Environmental monitoring technician', 'Utilities engineer', 'IT system owner', 'Laboratory manager', 'Stability coordinator', 'Sampling technician',
  'Dispensary operator', 'Labelling operator', 'Formulation scientist', 'Analytical scientist', 'Pharmacovigilance officer', 'Complaint handler',
  'Supplier quality engineer', 'Auditor', 'Metrology engineer', 'Automation engineer', 'Facility manager', 'Health and safety officer', 'Logistics coordinator',
  'Production planner', 'Cell culture operator', 'Purification operator', 'Media preparation technician', 'Glass washer', 'Biosafety officer',
  'Data integrity officer', 'Qualified person',
];
const firstNames = [
  'Ada', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lukas', 'Maria', 'Noah', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sven', 'Tara',
  'Umar', 'Vera', 'Wei', 'Xenia', 'Yusuf', 'Zoe', 'Aisha', 'Bruno', 'Carmen', 'Dmitri', 'Emma', 'Felix', 'Greta', 'Hiro', 'Ivan', 'Julia', 'Karl', 'Lena', 'Mateo', 'Nina',
];
const lastNames = [
  'Adams', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Meyer', 'Nakamura', "O'Brien", 'Petrov', 'Quintero',
  'Rossi', 'Schmidt', 'Tanaka', 'Ullmann', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann', 'Andersen', 'Becker', 'Chen', 'Dietrich', 'Engel', 'Fuchs', 'Graf', 'Huber',
  'Iglesias', 'Jovanovic', 'Keller', 'Lang', 'Moreau', 'Novak', 'Olsen', 'Popescu', 'Richter', 'Santos', 'Thomsen', 'Urban', 'Vogel', 'Wagner', 'Young', 'Zhang',
  'Almeida', 'Brandt', 'Conti', 'Diaz', 'Ebert', 'Frank', 'Gruber', 'Hofmann', 'Ivanova', 'Jung',
];
const docTypes = [
  { code: 'sop', prefix: 'SOP', reviewMonths: 24, graceDays: 0 },
  { code: 'work_instruction', prefix: 'WI', reviewMonths: 24, graceDays: 0 },
  { code: 'form', prefix: 'FRM', reviewMonths: 36, graceDays: 0 },
  { code: 'policy', prefix: 'POL', reviewMonths: 36, graceDays: 14 },
  { code: 'specification', prefix: 'SPEC', reviewMonths: 36, graceDays: 0 },
];
const typeOfDocument = [0, 0, 0, 0, 0, 1, 1, 2, 3, 4];
const actions = ['Cleaning of', 'Operation of', 'Calibration of', 'Maintenance of', 'Qualification of', 'Sampling of', 'Handling of', 'Inspection of', 'Release of', 'Storage of', 'Changeover of'];
const objects = [
  'filling line 1', 'tablet press 3', 'autoclave AC-02', 'HPLC systems', 'cold room CR-4', 'the purified water loop', 'analytical balances', 'printed labels', 'raw materials',
  'finished product', 'grade B areas', 'the RABS gloves', 'bioreactor BR-200', 'chromatography skids', 'the lyophiliser', 'returned goods', 'reference standards', 'stability samples',
  'the packaging line', 'compressed air', 'the dispensary', 'sterile filters', 'visual inspection booths',
];
const sentences = [
  'Check the line clearance record and the environmental monitoring status before starting.',
  'Verify that the equipment status label shows "clean" and that the cleaning record is signed and within its hold time.',
  'Record every reading in the batch record at the moment it is taken, with the date, the time and your initials.',
  'Stop the process and inform QA immediately at any alarm, excursion or result outside the limits of this procedure.',
  'Use only calibrated instruments whose calibration label is valid on the day of use; report any expired label to Engineering.',
  'Wear the gowning required for the area as described in the gowning procedure, and change gloves after every intervention.',
  'Reconcile the quantities issued, used, returned and destroyed; a difference above 0.5 percent is a deviation.',
  'Have a second person verify each critical step and sign the verification in the batch record.',
  'Label every container with the material name, the lot number, the quantity and the status (quarantine, released or rejected).',
  'Clean the equipment with the approved detergent at the concentration and contact time given in the cleaning validation report.',
  'Take the samples with sterile tools into labelled containers and deliver them to the laboratory within two hours.',
  'Keep the doors of the area closed; open the airlock doors one at a time and wait until the pressure cascade is restored.',
];

const day = 86400_000;
const systemName = 'Verity system';
const nobody = '00000000-0000-0000-0000-000000000000';

function bodyOf(title, d) {
  const steps = Array.from({ length: 40 + (d % 60) }, (_, i) => `${i + 1}. ${sentences[(d + i * 7) % sentences.length]}`);
  return `# Purpose\nThis procedure describes the ${title.toLowerCase()}.\n\n# Scope\nIt applies to everyone who performs or supervises this work.\n\n# Procedure\n${steps.join('\n')}\n\n# Records\nBatch record, logbook of the equipment, and the forms named in the steps above.`;
}

/** A record with its chain of versions, as createRecord and applyChange write them. */
function recordWithVersions(base, steps) {
  const versions = [];
  let prev = null;
  let current = null;
  for (const [index, step] of steps.entries()) {
    current = { ...base, ...step, version: index + 1 };
    const hash = contentHash(current);
    const changedBy = step.by ?? nobody;
    const version = { recordId: base.id, version: index + 1, status: current.status, contentHash: hash, changedBy, changedAt: step.at };
    const vHash = versionHash(prev, version);
    versions.push({ record_id: base.id, version: index + 1, status: current.status, content: contentOf(current), content_hash: hash, prev_hash: prev, version_hash: vHash, changed_by: changedBy, changed_by_name: step.byName ?? systemName, changed_at: step.at.toISOString() });
    prev = vHash;
    current.content_hash = hash;
  }
  const first = steps[0].at;
  const record = {
    id: base.id, type: base.type, number: base.number, site_id: base.siteId, title: current.title, status: current.status, owner_id: base.ownerId, due_date: current.dueDate ?? null,
    data: current.data, version: current.version, content_hash: current.content_hash, created_by: base.ownerId, created_at: first.toISOString(), updated_at: steps[steps.length - 1].at.toISOString(),
  };
  return { record, versions };
}

/** The 500 documents, their revisions and distribution, built in memory. */
function buildDocuments({ count, now, siteIds, functionIds, author, reviewerId }) {
  const out = { records: [], versions: [], links: [], effectivity: [], requirements: [], revisions: [], sequences: new Map() };
  const by = { by: author.id, byName: author.name };
  for (let d = 0; d < count; d++) {
    const type = docTypes[typeOfDocument[d % 10]];
    const distribution = { roles: [], jobFunctionIds: [], departments: [], userIds: [] };
    if (d < 10) distribution.jobFunctionIds = [functionIds[0]];
    else if (d < 110) distribution.departments = [departments[d % 10]];
    else distribution.jobFunctionIds = Array.from({ length: 1 + (d % 3) }, (_, j) => functionIds[1 + ((d + j * 17) % 49)]).sort();
    const department = d >= 10 && d < 110 ? departments[d % 10] : departments[(d * 3) % 10];
    const key = `DOC-${type.prefix}|${department}`;
    const serial = (out.sequences.get(key) ?? 0) + 1;
    out.sequences.set(key, serial);
    const number = `${type.prefix}-${department}-${String(serial).padStart(3, '0')}`;
    const title = `${actions[d % actions.length]} ${objects[(d * 7) % objects.length]}`;
    const siteId = siteIds[d % siteIds.length];
    const currentFrom = new Date(now.getTime() - (5 + ((d * 37) % 700)) * day);
    const labels = d % 3 === 0 ? [{ label: '1.0', major: 1, from: new Date(currentFrom.getTime() - (150 + ((d * 11) % 400)) * day) }, { label: '2.0', major: 2, from: currentFrom }] : [{ label: '1.0', major: 1, from: currentFrom }];
    const documentId = randomUUID();
    const created = new Date(labels[0].from.getTime() - 30 * day);
    const revisionIds = labels.map(() => randomUUID());
    const docData = {
      docType: type.code, department, confidentiality: 'internal', distribution: { roles: [], jobFunctionIds: [], departments: [], userIds: [] }, governs: [], currentRevisionId: null,
      currentVersionLabel: null, effectiveFrom: null, lastReviewedAt: null, lastReviewOutcome: null, reviewComment: null,
    };
    const dueDateOf = (from) => {
      const due = new Date(from);
      due.setUTCMonth(due.getUTCMonth() + type.reviewMonths);
      return due.toISOString().slice(0, 10);
    };
    const docSteps = [
      { at: created, status: 'draft', title, data: docData, ...by },
      { at: new Date(created.getTime() + 3600_000), status: 'draft', title, data: { ...docData, distribution }, ...by },
      ...labels.map((l, i) => ({
        at: l.from, status: 'effective', title, dueDate: dueDateOf(l.from),
        data: { ...docData, distribution, currentRevisionId: revisionIds[i], currentVersionLabel: l.label, effectiveFrom: l.from.toISOString() },
      })),
    ];
    const document = recordWithVersions({ id: documentId, type: 'document', number, siteId, ownerId: author.id }, docSteps);
    out.records.push(document.record);
    out.versions.push(...document.versions);
    for (const [kind, targets] of [['job_function', distribution.jobFunctionIds], ['department', distribution.departments]]) {
      for (const target of targets) out.requirements.push({ id: randomUUID(), document_id: documentId, target_kind: kind, target, created_at: new Date(created.getTime() + 3600_000).toISOString(), created_by: author.id });
    }
    const body = bodyOf(title, d);
    for (const [i, l] of labels.entries()) {
      const id = revisionIds[i];
      const started = new Date(l.from.getTime() - 20 * day);
      const data = {
        documentId, documentNumber: number, docType: type.code, versionLabel: l.label, major: l.major, minor: 0, changeType: i === 0 ? 'initial' : 'major',
        changeSummary: i === 0 ? 'First issue' : 'Periodic update of the procedure', body, original: null, reviewerIds: [], effectiveAt: null, trainingImpact: null,
        trainingImpactJustification: null, changedSections: [], gracePeriodDays: null, trainingMethod: 'read', quiz: null,
      };
      const reviewed = { ...data, reviewerIds: [reviewerId] };
      const approved = { ...reviewed, effectiveAt: l.from.toISOString(), trainingImpact: 'retrain_all' };
      const steps = [
        { at: started, status: 'draft', title, data, ...by },
        { at: new Date(started.getTime() + day), status: 'draft', title, data: reviewed, ...by },
        { at: new Date(started.getTime() + 2 * day), status: 'in_review', title, data: reviewed, ...by },
        { at: new Date(started.getTime() + 3 * day), status: 'in_review', title, data: reviewed, by: reviewerId, byName: 'Rhea Reviewer' },
        { at: new Date(l.from.getTime() - 7 * day), status: 'approved', title, data: approved, by: reviewerId, byName: 'Rhea Reviewer' },
        { at: l.from, status: 'effective', title, data: approved },
      ];
      const superseded = i < labels.length - 1;
      if (superseded) steps.push({ at: labels[i + 1].from, status: 'superseded', title, data: approved });
      const revision = recordWithVersions({ id, type: 'document_revision', number: `${number} v${l.label}`, siteId, ownerId: author.id }, steps);
      out.records.push(revision.record);
      out.versions.push(...revision.versions);
      out.links.push({ id: randomUUID(), source_id: id, target_id: documentId, type: 'revises', created_by: author.id, created_by_name: author.name, created_at: started.toISOString() });
      out.effectivity.push({ revision_id: id, document_id: documentId, version_label: l.label, training_basis_id: id, effective_from: l.from.toISOString(), effective_to: superseded ? labels[i + 1].from.toISOString() : null });
      // Training signatures bind to the effective version; the content (and its hash) is frozen from approval on.
      out.revisions.push({ document_id: documentId, revision_id: id, is_current: !superseded, effective_from: l.from.toISOString(), version: 6, content_hash: revision.record.content_hash, grace: type.graceDays });
    }
  }
  return out;
}

/** Inserts rows given as objects through jsonb_to_recordset, in chunks. */
async function insertRows(db, table, columns, rows, chunk = 500) {
  const list = columns.map(([name]) => name).join(', ');
  const types = columns.map(([name, type]) => `${name} ${type}`).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    await db.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_to_recordset($1::jsonb) AS x(${types})`, [JSON.stringify(rows.slice(i, i + chunk))]);
  }
}

const timed = async (log, label, fn) => {
  const started = performance.now();
  const result = await fn();
  log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
};

/**
 * Fills an empty, migrated database. Returns what the benchmark needs to know of it.
 * `size` = { people, documents }; `keyId` marks generated training signatures.
 */
export async function generateOrganisation(db, { size, now, keyId, log }) {
  const iso = now.toISOString();
  const lit = `'${iso}'::timestamptz`;
  await db.query(benchUuidSql);
  const siteIds = sites.map(() => randomUUID());
  await insertRows(db, 'site', [['id', 'uuid'], ['code', 'text'], ['name', 'text'], ['created_at', 'timestamptz']], sites.map(([code, name], i) => ({ id: siteIds[i], code, name, created_at: iso })));
  const author = { id: randomUUID(), name: 'Dora Seed (document control)' };
  const reviewerId = randomUUID();
  await insertRows(db, 'app_user', [['id', 'uuid'], ['username', 'text'], ['username_key', 'text'], ['full_name', 'text'], ['created_at', 'timestamptz'], ['department', 'text']], [
    { id: author.id, username: 'dora.seed', username_key: 'dora.seed', full_name: author.name, created_at: iso, department: 'QA' },
    { id: reviewerId, username: 'rhea.reviewer', username_key: 'rhea.reviewer', full_name: 'Rhea Reviewer', created_at: iso, department: 'QA' },
  ]);
  await db.query(`INSERT INTO user_role (user_id, role, site_id) SELECT $1::uuid, 'document_controller', id FROM site UNION ALL SELECT $2::uuid, 'qa_reviewer', id FROM site`, [author.id, reviewerId]);

  await timed(log, `${size.people.toLocaleString('en')} people in ${sites.length} sites and ${departments.length} departments`, async () => {
    // Names drawn by hash so that alphabetical order is unrelated to creation order; every 50th person manages the next 49.
    await db.query(
      `INSERT INTO app_user (id, username, username_key, full_name, email, must_change_password, created_at, department, manager_id)
       SELECT pg_temp.bench_uuid('person-' || i), 'p' || lpad(i::text, 5, '0'), 'p' || lpad(i::text, 5, '0'),
              ($1::text[])[1 + (hashtext('first' || i) & 2147483647) % array_length($1::text[], 1)] || ' ' || chr(65 + (hashtext('mid' || i) & 2147483647) % 26) || '. ' ||
              ($2::text[])[1 + (hashtext('last' || i) & 2147483647) % array_length($2::text[], 1)],
              'p' || lpad(i::text, 5, '0') || '@bench.example', true, ${lit} - interval '2 years', ($3::text[])[1 + (i / 5) % array_length($3::text[], 1)],
              CASE WHEN i % 50 = 0 THEN NULL ELSE pg_temp.bench_uuid('person-' || (i / 50) * 50) END
         FROM generate_series(0, $4::int - 1) i`,
      [firstNames, lastNames, departments, size.people],
    );
    await db.query(
      `INSERT INTO user_role (user_id, role, site_id)
       SELECT pg_temp.bench_uuid('person-' || i), 'operator', ($1::uuid[])[1 + i % array_length($1::uuid[], 1)] FROM generate_series(0, $2::int - 1) i`,
      [siteIds, size.people],
    );
  });

  const functionIds = [randomUUID(), ...functionNames.map(() => randomUUID())];
  await insertRows(db, 'job_function', [['id', 'uuid'], ['code', 'text'], ['name', 'text'], ['created_at', 'timestamptz']], [
    { id: functionIds[0], code: coreFunction.code, name: coreFunction.name, created_at: iso },
    ...functionNames.map((name, i) => ({ id: functionIds[i + 1], code: `JF-${String(i + 2).padStart(2, '0')}`, name, created_at: iso })),
  ]);
  await timed(log, `${functionIds.length} job functions (${coreFunction.code}: every second person; each person 2 more)`, async () => {
    // Primary function 1 + i % 49, secondary at an offset of 1..47 from it (never the same); GMP-CORE for even i.
    await db.query(
      `INSERT INTO user_job_function (user_id, job_function_id)
       SELECT pg_temp.bench_uuid('person-' || i), f[1] FROM generate_series(0, $2::int - 1) i, (SELECT $1::uuid[] AS f) x WHERE i % 2 = 0
       UNION ALL SELECT pg_temp.bench_uuid('person-' || i), f[2 + i % 49] FROM generate_series(0, $2::int - 1) i, (SELECT $1::uuid[] AS f) x
       UNION ALL SELECT pg_temp.bench_uuid('person-' || i), f[2 + (i % 49 + 1 + (i / 49) % 47) % 49] FROM generate_series(0, $2::int - 1) i, (SELECT $1::uuid[] AS f) x`,
      [functionIds, size.people],
    );
  });

  const docs = await timed(log, `${size.documents} documents with effective revisions (every third on its second revision)`, async () => {
    const built = buildDocuments({ count: size.documents, now, siteIds, functionIds, author, reviewerId });
    await insertRows(db, 'record', [
      ['id', 'uuid'], ['type', 'text'], ['number', 'text'], ['site_id', 'uuid'], ['title', 'text'], ['status', 'text'], ['owner_id', 'uuid'], ['due_date', 'date'], ['data', 'jsonb'],
      ['version', 'int'], ['content_hash', 'text'], ['created_by', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], built.records, 200);
    await insertRows(db, 'record_version', [
      ['record_id', 'uuid'], ['version', 'int'], ['status', 'text'], ['content', 'jsonb'], ['content_hash', 'text'], ['prev_hash', 'text'], ['version_hash', 'text'], ['changed_by', 'uuid'],
      ['changed_by_name', 'text'], ['changed_at', 'timestamptz'],
    ], built.versions, 200);
    await insertRows(db, 'record_link', [['id', 'uuid'], ['source_id', 'uuid'], ['target_id', 'uuid'], ['type', 'text'], ['created_by', 'uuid'], ['created_by_name', 'text'], ['created_at', 'timestamptz']], built.links);
    await insertRows(db, 'document_effectivity', [['revision_id', 'uuid'], ['document_id', 'uuid'], ['version_label', 'text'], ['training_basis_id', 'uuid'], ['effective_from', 'timestamptz'], ['effective_to', 'timestamptz']], built.effectivity);
    await insertRows(db, 'training_requirement', [['id', 'uuid'], ['document_id', 'uuid'], ['target_kind', 'text'], ['target', 'text'], ['created_at', 'timestamptz'], ['created_by', 'uuid']], built.requirements);
    await insertRows(db, 'number_sequence', [['prefix', 'text'], ['site_code', 'text'], ['year', 'int'], ['last', 'int']], [...built.sequences].map(([key, last]) => {
      const [prefix, department] = key.split('|');
      return { prefix, site_code: department, year: 0, last };
    }));
    await db.query('CREATE TEMP TABLE bench_revision (document_id uuid, revision_id uuid, is_current boolean, effective_from timestamptz, version int, content_hash text, grace int)');
    await insertRows(db, 'bench_revision', [['document_id', 'uuid'], ['revision_id', 'uuid'], ['is_current', 'boolean'], ['effective_from', 'timestamptz'], ['version', 'int'], ['content_hash', 'text'], ['grace', 'int']], built.revisions);
    return built;
  });

  await timed(log, 'training needs (the refreshNeeds projection over every document)', async () => {
    // The statement of packages/core/src/processes/training/assign.ts refreshNeeds, for all documents at once.
    await db.query(
      `INSERT INTO training_need (user_id, document_id)
       SELECT u.id, tr.document_id FROM training_requirement tr
         JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete' JOIN app_user u ON u.active AND u.id::text = tr.target
        WHERE tr.removed_at IS NULL AND tr.target_kind = 'user'
       UNION
       SELECT u.id, tr.document_id FROM training_requirement tr
         JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete' JOIN app_user u ON u.active AND u.department = tr.target
        WHERE tr.removed_at IS NULL AND tr.target_kind = 'department'
       UNION
       SELECT u.id, tr.document_id FROM training_requirement tr
         JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete' JOIN user_role ur ON ur.role = tr.target JOIN app_user u ON u.active AND u.id = ur.user_id
        WHERE tr.removed_at IS NULL AND tr.target_kind = 'role'
       UNION
       SELECT u.id, tr.document_id FROM training_requirement tr
         JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete'
         JOIN user_job_function j ON j.job_function_id::text = tr.target JOIN app_user u ON u.active AND u.id = j.user_id
        WHERE tr.removed_at IS NULL AND tr.target_kind = 'job_function'
       ON CONFLICT DO NOTHING`,
    );
  });

  await timed(log, 'training assignments: 80% completed, 10% open, 7% overdue, 3% missing; completed history on superseded revisions', async () => {
    // bucket (0-99) decides the state of the current revision's cell; h spreads the dates.
    await db.query(
      `CREATE TEMP TABLE bench_assignment AS
       SELECT s.*, CASE WHEN s.status = 'open' THEN s.due_at - interval '14 days' ELSE s.due_at - interval '21 days' END AS assigned_at,
              CASE WHEN s.status = 'completed' THEN least(${lit} - interval '1 hour', s.due_at - interval '21 days' + (1 + s.h % 20) * interval '1 day' + (s.h % 17) * interval '1 hour') END AS completed_at,
              120 + s.h % 1800 AS seconds
         FROM (SELECT gen_random_uuid() AS id, c.user_id, c.document_id, c.revision_id, c.is_current, c.version, c.content_hash, c.h,
                      CASE WHEN c.is_current AND c.bucket >= 83 THEN 'open' ELSE 'completed' END AS status,
                      CASE WHEN c.is_current AND c.bucket >= 83 THEN 'new_requirement' ELSE 'revision' END AS reason,
                      CASE WHEN c.is_current AND c.bucket >= 93 THEN ${lit} - (1 + c.h % 60) * interval '1 day' + interval '6 hours'
                           WHEN c.is_current AND c.bucket >= 83 THEN ${lit} - (c.h % 10) * interval '1 day' + interval '14 days'
                           ELSE c.effective_from + greatest(c.grace, 14) * interval '1 day' END AS due_at,
                      gen_random_uuid() AS signature_id
                 FROM (SELECT n.user_id, n.document_id, r.revision_id, r.is_current, r.version, r.content_hash, r.effective_from, r.grace,
                              (hashtext(n.user_id::text || n.document_id::text) & 2147483647) % 100 AS bucket, hashtext(n.document_id::text || n.user_id::text) & 2147483647 AS h
                         FROM training_need n JOIN bench_revision r ON r.document_id = n.document_id) c
                WHERE (c.is_current AND c.bucket >= 3) OR (NOT c.is_current AND c.h % 10 < 9)) s`,
    );
    await db.query(
      `INSERT INTO signature (id, record_id, record_version, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal)
       SELECT a.signature_id, a.revision_id, a.version, a.content_hash, a.user_id, u.full_name, 'read_understood', 'train', a.completed_at, $1, 'generated-by-bench-not-sealed'
         FROM bench_assignment a JOIN app_user u ON u.id = a.user_id WHERE a.status = 'completed'`,
      [keyId],
    );
    await db.query(
      `INSERT INTO training_assignment (id, user_id, document_id, revision_id, reason, status, current, assigned_at, due_at, opened_at, completed_at, method, signature_id,
                                        time_spent_seconds, attempts, last_reminded_at, escalated_at, version)
       SELECT id, user_id, document_id, revision_id, reason, status, is_current, assigned_at, due_at,
              CASE WHEN status = 'completed' THEN completed_at - seconds * interval '1 second' END, completed_at, CASE WHEN status = 'completed' THEN 'read' END,
              CASE WHEN status = 'completed' THEN signature_id END, CASE WHEN status = 'completed' THEN seconds END, 0,
              -- overdue training was reminded today and escalated once a week past due, as the hourly job leaves it
              CASE WHEN status = 'open' AND due_at < ${lit} THEN ${lit} - interval '2 hours' END,
              CASE WHEN status = 'open' AND due_at < ${lit} - interval '7 days' THEN due_at + interval '7 days' END,
              CASE WHEN status = 'completed' THEN 3 ELSE 1 END
         FROM bench_assignment`,
    );
    await db.query(
      `INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, actor_id, signature_id, details)
       SELECT id, user_id, document_id, revision_id, 'assigned', assigned_at, NULL, NULL, jsonb_build_object('reason', reason, 'dueAt', due_at) FROM bench_assignment
       UNION ALL
       SELECT id, user_id, document_id, revision_id, 'completed', completed_at, user_id, signature_id,
              jsonb_build_object('method', 'read', 'timeSpentSeconds', seconds, 'serverSeconds', seconds, 'contentHash', content_hash, 'version', version)
         FROM bench_assignment WHERE status = 'completed'`,
    );
  });
  await timed(log, 'VACUUM ANALYZE', async () => {
    await db.query('DROP TABLE bench_assignment');
    await db.query('VACUUM ANALYZE');
  });
  const [counts] = await db.query(
    `SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM training_need)::int AS needs,
            (SELECT count(*) FROM training_assignment)::int AS assignments, (SELECT count(*) FROM training_assignment WHERE current)::int AS current,
            (SELECT count(*) FROM training_ledger)::int AS ledger, (SELECT count(*) FROM signature)::int AS signatures, (SELECT count(*) FROM record)::int AS records,
            (SELECT count(*) FROM record WHERE type = 'document')::int AS documents,
            (SELECT min(c) FROM (SELECT count(*) AS c FROM training_need GROUP BY user_id) x)::int AS min_needs,
            (SELECT max(c) FROM (SELECT count(*) AS c FROM training_need GROUP BY user_id) x)::int AS max_needs,
            (SELECT count(*) FROM user_job_function WHERE job_function_id = $1)::int AS core_people,
            pg_size_pretty(pg_database_size(current_database())) AS database_size,
            pg_size_pretty(pg_total_relation_size('training_assignment')) AS assignment_size, pg_size_pretty(pg_total_relation_size('training_need')) AS need_size`,
    [functionIds[0]],
  ).then((r) => r.rows);
  return { counts, coreFunctionId: functionIds[0], documentIds: docs.records.filter((r) => r.type === 'document').map((r) => r.id), revisions: docs.revisions };
}
