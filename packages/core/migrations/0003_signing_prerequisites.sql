-- Before a person's first electronic signature: an administrator records how their identity was
-- verified (21 CFR 11.100(b)), and the person accepts the accountability statement (11.10(j)).
-- Both are append-only evidence.
CREATE TABLE identity_verification (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  method text NOT NULL,
  evidence_ref text NOT NULL,
  verified_by uuid NOT NULL REFERENCES app_user(id),
  verified_by_name text NOT NULL,
  verified_at timestamptz NOT NULL,
  CHECK (verified_by <> user_id)
);
CREATE INDEX identity_verification_user ON identity_verification (user_id, verified_at DESC);

CREATE TABLE signature_statement_acceptance (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  statement_version integer NOT NULL,
  statement_hash text NOT NULL,
  accepted_at timestamptz NOT NULL,
  UNIQUE (user_id, statement_version)
);

CREATE TRIGGER identity_verification_append_only BEFORE UPDATE OR DELETE ON identity_verification FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER signature_statement_acceptance_append_only BEFORE UPDATE OR DELETE ON signature_statement_acceptance FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
