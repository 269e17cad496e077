-- Document control and training (issue 3). Documents and their revisions are kernel records
-- (types 'document' and 'document_revision'); the tables below hold what must be queried at
-- scale: types, effectivity periods, training requirements, assignments and the training ledger.

-- Document types with their numbering prefix and rules; edited by document control (audited).
CREATE TABLE document_type (
  code text PRIMARY KEY,
  label text NOT NULL,
  prefix text NOT NULL UNIQUE,
  review_months integer NOT NULL,
  grace_days integer NOT NULL DEFAULT 0,
  -- Effective-date gate: a revision becomes effective only when this share (percent) of its
  -- required trainees is trained; null means no gate.
  gate_percent integer CHECK (gate_percent BETWEEN 1 AND 100),
  -- Periodic retraining interval; null means training stays valid until the next revision.
  retraining_months integer,
  version integer NOT NULL DEFAULT 1
);
INSERT INTO document_type (code, label, prefix, review_months, grace_days, gate_percent, retraining_months) VALUES
  ('policy', 'Policy', 'POL', 36, 14, NULL, NULL),
  ('sop', 'Standard operating procedure', 'SOP', 24, 0, NULL, NULL),
  ('work_instruction', 'Work instruction', 'WI', 24, 0, NULL, NULL),
  ('form', 'Form', 'FRM', 36, 0, NULL, NULL),
  ('specification', 'Specification', 'SPEC', 36, 0, NULL, NULL),
  ('protocol', 'Protocol', 'PROT', 24, 0, NULL, NULL),
  ('quality_agreement', 'Quality agreement', 'QAG', 24, 0, NULL, NULL),
  ('course', 'Training course', 'CRS', 24, 0, NULL, 12);

-- People: department and line manager (training escalation), job functions (curricula).
ALTER TABLE app_user ADD COLUMN department text;
ALTER TABLE app_user ADD COLUMN manager_id uuid REFERENCES app_user(id);
CREATE INDEX app_user_department ON app_user (department);

CREATE TABLE job_function (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE user_job_function (
  user_id uuid NOT NULL REFERENCES app_user(id),
  job_function_id uuid NOT NULL REFERENCES job_function(id),
  PRIMARY KEY (user_id, job_function_id)
);
CREATE INDEX user_job_function_by_function ON user_job_function (job_function_id);

-- Who must be trained on a document: a role, a job function, a department or a named person.
-- Requirements are ended (removed_at), never deleted.
CREATE TABLE training_requirement (
  id uuid PRIMARY KEY,
  document_id uuid NOT NULL REFERENCES record(id),
  target_kind text NOT NULL CHECK (target_kind IN ('role', 'job_function', 'department', 'user')),
  target text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES app_user(id),
  removed_at timestamptz,
  removed_by uuid REFERENCES app_user(id)
);
CREATE UNIQUE INDEX training_requirement_active ON training_requirement (document_id, target_kind, target) WHERE removed_at IS NULL;
CREATE INDEX training_requirement_target ON training_requirement (target_kind, target) WHERE removed_at IS NULL;

-- The people each document applies to now: a projection of training_requirement over people,
-- recomputed when requirements, job functions or departments change.
CREATE TABLE training_need (
  user_id uuid NOT NULL REFERENCES app_user(id),
  document_id uuid NOT NULL REFERENCES record(id),
  PRIMARY KEY (user_id, document_id)
);
CREATE INDEX training_need_document ON training_need (document_id, user_id);

-- When each revision was (or is) the effective one. training_basis_id is the revision whose
-- training qualifies for this one: itself, or, after a "no retraining" editorial revision, the
-- basis of the revision it replaced.
CREATE TABLE document_effectivity (
  revision_id uuid PRIMARY KEY REFERENCES record(id),
  document_id uuid NOT NULL REFERENCES record(id),
  version_label text NOT NULL,
  training_basis_id uuid NOT NULL REFERENCES record(id),
  effective_from timestamptz NOT NULL,
  effective_to timestamptz
);
CREATE INDEX document_effectivity_document ON document_effectivity (document_id, effective_from DESC);

-- Training assignments: the current state of each person's training on each revision.
-- current marks the assignment that counts for (person, document) now.
CREATE TABLE training_assignment (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  document_id uuid NOT NULL REFERENCES record(id),
  revision_id uuid NOT NULL REFERENCES record(id),
  reason text NOT NULL CHECK (reason IN ('revision', 'new_requirement', 'periodic', 'retake')),
  status text NOT NULL CHECK (status IN ('open', 'completed', 'failed', 'superseded')),
  current boolean NOT NULL,
  assigned_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  opened_at timestamptz,
  completed_at timestamptz,
  method text CHECK (method IN ('read', 'quiz', 'instructor_led')),
  signature_id uuid REFERENCES signature(id),
  time_spent_seconds integer,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz,
  last_reminded_at timestamptz,
  escalated_at timestamptz,
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX training_assignment_current ON training_assignment (user_id, document_id) WHERE current;
CREATE UNIQUE INDEX training_assignment_open ON training_assignment (user_id, revision_id) WHERE status = 'open';
CREATE INDEX training_assignment_revision ON training_assignment (revision_id, status);
CREATE INDEX training_assignment_due ON training_assignment (due_at) WHERE status = 'open';
CREATE INDEX training_assignment_document ON training_assignment (document_id) WHERE current;

-- The training ledger: every training event, append-only, so that "was this person trained on
-- the revision effective at T?" is answered from what was recorded then.
CREATE TABLE training_ledger (
  seq bigserial PRIMARY KEY,
  assignment_id uuid NOT NULL REFERENCES training_assignment(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  document_id uuid NOT NULL REFERENCES record(id),
  revision_id uuid NOT NULL REFERENCES record(id),
  event text NOT NULL CHECK (event IN ('assigned', 'opened', 'quiz_passed', 'quiz_failed', 'completed', 'superseded', 'reminded', 'escalated')),
  at timestamptz NOT NULL,
  actor_id uuid,
  signature_id uuid REFERENCES signature(id),
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX training_ledger_user_revision ON training_ledger (user_id, revision_id, event, at);
CREATE INDEX training_ledger_revision ON training_ledger (revision_id, event, at);
CREATE TRIGGER training_ledger_append_only BEFORE UPDATE OR DELETE ON training_ledger FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER training_ledger_no_truncate BEFORE TRUNCATE ON training_ledger FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Instructor-led training sessions; the trainer signs the attendance.
CREATE TABLE training_session (
  id uuid PRIMARY KEY,
  revision_id uuid NOT NULL REFERENCES record(id),
  trainer_id uuid NOT NULL REFERENCES app_user(id),
  held_at timestamptz NOT NULL,
  duration_minutes integer NOT NULL,
  location text,
  notes text,
  signature_id uuid NOT NULL REFERENCES signature(id),
  created_at timestamptz NOT NULL
);
CREATE TABLE training_session_attendee (
  session_id uuid NOT NULL REFERENCES training_session(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  PRIMARY KEY (session_id, user_id)
);
CREATE TRIGGER training_session_append_only BEFORE UPDATE OR DELETE ON training_session FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER training_session_attendee_append_only BEFORE UPDATE OR DELETE ON training_session_attendee FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- E-mail sent by the system: one row per message, unique per job so a retried job sends once.
CREATE TABLE mail_log (
  id uuid PRIMARY KEY,
  source_job text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  sent_at timestamptz NOT NULL,
  UNIQUE (source_job, recipient)
);

-- The revisions of a document, found by the document they belong to.
CREATE INDEX record_revision_document ON record ((data->>'documentId'), updated_at DESC) WHERE type = 'document_revision';
