-- CAPA, change control and their actions (issue 4) are kernel records ('capa', 'change', 'action').

-- Actions (CAPA actions, change tasks) found by the record they belong to.
CREATE INDEX record_action_parent ON record ((data->>'parentId'), due_date) WHERE type = 'action';

-- Due-date extensions: requested with a justification, decided (and signed when approved) by
-- someone else. The original due date is kept, so on-time metrics can be told against it.
CREATE TABLE due_date_extension (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES record(id),
  original_due_date date,
  requested_due_date date NOT NULL,
  justification text NOT NULL,
  requested_by uuid NOT NULL REFERENCES app_user(id),
  requested_by_name text NOT NULL,
  requested_at timestamptz NOT NULL,
  decision text NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected')),
  decided_by uuid REFERENCES app_user(id),
  decided_by_name text,
  decided_at timestamptz,
  decision_reason text,
  signature_id uuid REFERENCES signature(id)
);
CREATE INDEX due_date_extension_record ON due_date_extension (record_id, requested_at);
CREATE UNIQUE INDEX due_date_extension_one_pending ON due_date_extension (record_id) WHERE decision = 'pending';

-- People in name order (training matrix pages, pickers): keyset pagination over active people.
CREATE INDEX app_user_active_name ON app_user (full_name, id) WHERE active;
