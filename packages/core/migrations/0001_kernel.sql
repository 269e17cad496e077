-- Verity kernel schema. Forward-only; runs identically on PGlite and PostgreSQL 15+.

CREATE TABLE site (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Users are never deleted and user names are never re-issued (21 CFR 11.100(a), 11.300(a)):
-- username_key (lower case) is unique over every user that ever existed.
CREATE TABLE app_user (
  id uuid PRIMARY KEY,
  username text NOT NULL,
  username_key text NOT NULL UNIQUE,
  full_name text NOT NULL,
  email text,
  password_hash text,
  password_changed_at timestamptz,
  must_change_password boolean NOT NULL DEFAULT true,
  temp_password_expires_at timestamptz,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_at timestamptz,
  active boolean NOT NULL DEFAULT true,
  deactivated_at timestamptz,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE password_history (
  user_id uuid NOT NULL REFERENCES app_user(id),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at DESC);

CREATE TABLE user_role (
  user_id uuid NOT NULL REFERENCES app_user(id),
  role text NOT NULL,
  site_id uuid NOT NULL REFERENCES site(id),
  PRIMARY KEY (user_id, role, site_id)
);

-- Sessions live in the database so that several server instances share them.
-- id is the SHA-256 of the cookie token: a stolen table gives no usable cookie.
CREATE TABLE session (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  signing_started_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX session_by_user ON session (user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_token (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- Every controlled quality record, whatever its process. Process fields live in data (jsonb);
-- content_hash covers the controlled content (type, number, title, data) of the current version.
CREATE TABLE record (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  number text NOT NULL,
  site_id uuid NOT NULL REFERENCES site(id),
  title text NOT NULL,
  status text NOT NULL,
  owner_id uuid NOT NULL REFERENCES app_user(id),
  due_date date,
  data jsonb NOT NULL,
  version integer NOT NULL,
  content_hash text NOT NULL,
  created_by uuid NOT NULL REFERENCES app_user(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', number || ' ' || title), 'A') ||
    setweight(jsonb_to_tsvector('english', data, '["string"]'), 'B')
  ) STORED,
  UNIQUE (type, number)
);
CREATE INDEX record_type_updated ON record (type, updated_at DESC, id DESC);
CREATE INDEX record_type_status_updated ON record (type, status, updated_at DESC, id DESC);
CREATE INDEX record_type_site_updated ON record (type, site_id, updated_at DESC, id DESC);
CREATE INDEX record_type_due ON record (type, (COALESCE(due_date, DATE '9999-12-31')), id);
CREATE INDEX record_owner ON record (owner_id, updated_at DESC);
CREATE INDEX record_search ON record USING gin (search);

-- Every version of every record, kept for ever: prior values stay retrievable (11.10(e)), and
-- each version's hash chains to the previous one (11.10(a)).
CREATE TABLE record_version (
  record_id uuid NOT NULL REFERENCES record(id),
  version integer NOT NULL,
  status text NOT NULL,
  content jsonb NOT NULL,
  content_hash text NOT NULL,
  prev_hash text,
  version_hash text NOT NULL,
  changed_by uuid NOT NULL,
  changed_by_name text NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (record_id, version)
);

-- Gapless human numbers per type, site and year.
CREATE TABLE number_sequence (
  prefix text NOT NULL,
  site_code text NOT NULL,
  year integer NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (prefix, site_code, year)
);

-- Part 11 electronic signatures, bound to the signed version's content hash and sealed with the instance key.
CREATE TABLE signature (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES record(id),
  record_version integer NOT NULL,
  content_hash text NOT NULL,
  signer_id uuid NOT NULL REFERENCES app_user(id),
  signer_name text NOT NULL,
  meaning text NOT NULL,
  action text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  seal text NOT NULL
);
CREATE INDEX signature_record ON signature (record_id, signed_at);

CREATE TABLE record_link (
  id uuid PRIMARY KEY,
  source_id uuid NOT NULL REFERENCES record(id),
  target_id uuid NOT NULL REFERENCES record(id),
  type text NOT NULL,
  created_by uuid NOT NULL,
  created_by_name text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (source_id, target_id, type)
);
CREATE INDEX record_link_target ON record_link (target_id);

CREATE TABLE record_comment (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES record(id),
  body text NOT NULL,
  author_id uuid NOT NULL,
  author_name text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX record_comment_record ON record_comment (record_id, created_at);

-- Attachments point at content-addressed files (SHA-256); the original bytes never change.
CREATE TABLE attachment (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES record(id),
  file_name text NOT NULL,
  media_type text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  uploaded_by uuid NOT NULL,
  uploaded_by_name text NOT NULL,
  uploaded_at timestamptz NOT NULL
);
CREATE INDEX attachment_record ON attachment (record_id, uploaded_at);

-- The audit trail. Each entry chains to the previous entry of the same entity.
CREATE TABLE audit_entry (
  seq bigserial PRIMARY KEY,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  entity_seq integer NOT NULL,
  action text NOT NULL,
  actor_id uuid,
  actor_name text NOT NULL,
  at timestamptz NOT NULL,
  reason text,
  changes jsonb NOT NULL,
  context jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (entity_id, entity_seq)
);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_actor ON audit_entry (actor_id, at);

-- The head of each entity's chain: the row lock serialises writers of one entity only.
CREATE TABLE audit_head (
  entity_id text PRIMARY KEY,
  entity_seq integer NOT NULL,
  hash text NOT NULL
);

-- Signed checkpoints: a Merkle root over the entries since the previous checkpoint, chained and
-- signed with the instance's Ed25519 key.
CREATE TABLE audit_checkpoint (
  id bigserial PRIMARY KEY,
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  entry_count integer NOT NULL,
  merkle_root text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  created_at timestamptz NOT NULL
);

-- In-app notifications. source_job makes delivery idempotent: a job worked twice notifies once.
CREATE TABLE notification (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  record_id uuid REFERENCES record(id),
  message text NOT NULL,
  source_job text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  UNIQUE (source_job, user_id)
);
CREATE INDEX notification_user ON notification (user_id, created_at DESC);

-- Append-only tables: the database itself refuses UPDATE, DELETE and TRUNCATE (11.10(e)).
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: this table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER signature_append_only BEFORE UPDATE OR DELETE ON signature FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER signature_no_truncate BEFORE TRUNCATE ON signature FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_version_append_only BEFORE UPDATE OR DELETE ON record_version FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_version_no_truncate BEFORE TRUNCATE ON record_version FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_no_delete BEFORE DELETE ON record FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON record FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER app_user_no_delete BEFORE DELETE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
