import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { isApiError } from '../api';
import { fieldError, FormProblem } from '../components/common';
import type { Me, TransitionAbility, TransitionInput } from '../endpoints';
import { humanize } from '../format';
import { notifySuccess } from '../notify';
import { fieldDef } from './fields';
import { FieldInput, type FieldValues, toFormValue, toPayload } from './FieldInput';
import { canSign, SignatureFields, SignatureNotEstablished, type SignatureValues } from './SignatureFields';
import { type RecordDetail, type RecordTypeConfig, fieldValue } from './types';

/** Codes after which the signer should simply retry the password (nothing was changed). */
const signatureCodes = new Set(['SIGNATURE_FAILED', 'SIGNATURE_REQUIRED', 'INVALID_CREDENTIALS']);
/** Codes that mean the cached "me" is out of date about the signing prerequisites (11.100(b), 11.10(j)). */
const prerequisiteCodes = new Set(['SIGNING_NOT_ESTABLISHED', 'SIGNATURE_STATEMENT_REQUIRED']);

/**
 * Inputs a record type adds to a step when its fields do not fit the generic field kinds (e.g. the
 * approval of a document revision: effective date, training impact and what depends on it). The
 * caller keeps their state; the dialog validates, sends and places server errors with them.
 */
export interface ExtraStepFields {
  /** Field names, so that server errors about them stand next to the inputs, not in the summary. */
  names: string[];
  render: (errorFor: (name: string) => string | undefined) => ReactNode;
  /** Messages by field name for what is missing or wrong before anything is sent. */
  validate: () => Record<string, string>;
  /** Added to the request's `fields`. */
  payload: () => Record<string, unknown>;
}

/**
 * One workflow step: the fields the transition requires (pre-filled from the record), a reason
 * when asked, and the electronic signature when the step demands one.
 */
export function TransitionDialog<T extends RecordDetail>({
  record,
  transition,
  config,
  me,
  onClose,
  onReload,
  extra,
}: {
  record: T;
  transition: TransitionAbility;
  config: RecordTypeConfig<T>;
  me: Me;
  onClose: () => void;
  onReload: () => void;
  extra?: ExtraStepFields;
}) {
  const queryClient = useQueryClient();
  const defs = [...transition.requiredFields, ...(transition.optionalFields ?? [])].map((name) => fieldDef(config.fields, name));
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(defs.map((def) => [def.name, toFormValue(def, fieldValue(record, def))])));
  const [reason, setReason] = useState('');
  const [signature, setSignature] = useState<SignatureValues>({ username: '', password: '', meaning: transition.meanings[0] ?? '', totp: '', acceptStatement: false });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  // An administrator may have established the signature since "me" was loaded: check again when signing is asked.
  const prerequisitesMissing = transition.requiresSignature && (!me.identityVerified || !me.signatureStatementAccepted);
  useEffect(() => {
    if (prerequisitesMissing) void queryClient.invalidateQueries({ queryKey: ['me'] });
  }, [prerequisitesMissing, queryClient]);

  const run = useMutation({
    mutationFn: () => {
      const body: TransitionInput = { action: transition.action, version: record.version };
      if (reason.trim()) body.reason = reason.trim();
      if (defs.length) body.fields = Object.fromEntries(defs.map((def) => [def.name, toPayload(def, values[def.name])]));
      if (extra) body.fields = { ...body.fields, ...extra.payload() };
      if (transition.requiresSignature) {
        body.signature = {
          password: signature.password,
          meaning: signature.meaning,
          ...(signature.username.trim() ? { username: signature.username.trim() } : {}),
          ...(signature.totp ? { totp: signature.totp } : {}),
          ...(!me.signatureStatementAccepted && signature.acceptStatement ? { acceptStatement: true } : {}),
        };
      }
      return config.transition(record.id, body);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['record', record.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['record', record.id] });
      void queryClient.invalidateQueries({ queryKey: [config.listKey] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess(`${transition.label}: done`, `${updated.number} is now ${updated.statusLabel}.`);
      onClose();
    },
    onError: (error) => {
      if (isApiError(error) && signatureCodes.has(error.code)) setSignature((s) => ({ ...s, password: '', totp: '' }));
      if (isApiError(error) && prerequisiteCodes.has(error.code)) void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    for (const def of defs) {
      const value = toPayload(def, values[def.name]);
      if (!transition.requiredFields.includes(def.name)) continue;
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) errors[def.name] = `${def.label} is required for this step`;
    }
    if (extra) Object.assign(errors, extra.validate());
    if (transition.requiresReason && !reason.trim()) errors.reason = 'Give the reason: it is recorded in the audit trail';
    if (transition.requiresSignature) {
      if (!canSign(me)) return;
      if (!me.signatureStatementAccepted && !signature.acceptStatement) errors.acceptStatement = 'Tick the box to accept the statement: it is asked once, before your first signature';
      if (!me.signingSessionStarted && !signature.username.trim()) errors.username = 'Enter your user name to sign';
      if (!signature.password) errors.password = 'Enter your password to sign';
      if (!signature.meaning) errors.meaning = 'Choose the meaning of your signature';
      if (me.totpEnabled && !/^\d{6}$/.test(signature.totp)) errors.totp = 'Six digits from your authenticator app';
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) run.mutate();
  };

  const errorFor = (name: string) => localErrors[name] ?? fieldError(run.error, name);
  const conflict = isApiError(run.error) && run.error.code === 'VERSION_CONFLICT';
  const signatureFailed = isApiError(run.error) && signatureCodes.has(run.error.code);
  const signingBlocked = transition.requiresSignature && !canSign(me);
  const title = transition.requiresSignature ? `${transition.label} — electronic signature` : transition.label;

  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>{title}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {record.number} · {record.title} → <strong>{transition.to ? humanize(transition.to) : transition.label}</strong>
          </Text>
          {signingBlocked && <SignatureNotEstablished />}
          {conflict && (
            <Alert color="orange" title="Someone else changed this record — reload" role="alert">
              <Text size="sm">Your input is kept. Reload the record, check the change, then try again.</Text>
              <Button size="xs" mt="xs" variant="white" color="orange" onClick={() => { run.reset(); onReload(); }}>
                Reload record (keep my input)
              </Button>
            </Alert>
          )}
          {signatureFailed && isApiError(run.error) && (
            <Alert color="red" title={run.error.problem.title} role="alert" data-testid="signature-error">
              {(run.error.problem.detail ?? 'Check your user name and password and sign again').replace(/\.?$/, '.')} Nothing was changed.
            </Alert>
          )}
          {defs.map((def) => (
            <FieldInput key={def.name} def={def} value={values[def.name]} onChange={(v) => setValues({ ...values, [def.name]: v })} error={errorFor(def.name)} required />
          ))}
          {extra?.render(errorFor)}
          {(transition.requiresReason || (defs.length === 0 && !extra)) && (
            <Textarea
              label={transition.requiresReason ? 'Reason' : 'Comment (optional)'}
              required={transition.requiresReason}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errorFor('reason')}
            />
          )}
          {transition.requiresSignature && (
            <SignatureFields me={me} meanings={transition.meanings} values={signature} onChange={setSignature} errorFor={errorFor} />
          )}
          {!conflict && !signatureFailed && (
            <FormProblem error={run.error} shownFields={[...defs.map((d) => d.name), ...(extra?.names ?? []), 'reason', 'username', 'password', 'meaning', 'totp', 'acceptStatement']} />
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={run.isPending} disabled={signingBlocked} data-testid="transition-submit">
              {transition.requiresSignature && !/^sign\b/i.test(transition.label) ? `Sign and ${transition.label.toLowerCase()}` : transition.label}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
