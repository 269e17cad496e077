import { Alert } from '@mantine/core';
import type { SignatureInput } from '@verity/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isApiError } from '../api';
import type { Me } from '../endpoints';
import { canSign, type SignatureValues } from '../record/SignatureFields';

/**
 * The e-signature inputs of the training forms, checked and sent as in the workflow
 * TransitionDialog: user name on the first signature of the session, the statement until accepted.
 */

/** Codes after which the signer should simply retry the password (nothing was changed). */
export const signatureCodes = new Set(['SIGNATURE_FAILED', 'SIGNATURE_REQUIRED', 'INVALID_CREDENTIALS']);
/** Codes that mean the cached "me" is out of date about the signing prerequisites (11.100(b), 11.10(j)). */
export const prerequisiteCodes = new Set(['SIGNING_NOT_ESTABLISHED', 'SIGNATURE_STATEMENT_REQUIRED']);
/** Field names of the signature, for FormProblem's `shownFields`. */
export const signatureFieldNames = ['username', 'password', 'meaning', 'totp', 'acceptStatement'];

export function emptySignature(meaning: string): SignatureValues {
  return { username: '', password: '', meaning, totp: '', acceptStatement: false };
}

/** What is missing before the signature can be sent, by field name. */
export function signatureProblems(me: Me, values: SignatureValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!me.signatureStatementAccepted && !values.acceptStatement) errors.acceptStatement = 'Tick the box to accept the statement: it is asked once, before your first signature';
  if (!me.signingSessionStarted && !values.username.trim()) errors.username = 'Enter your user name to sign';
  if (!values.password) errors.password = 'Enter your password to sign';
  if (me.totpEnabled && !/^\d{6}$/.test(values.totp)) errors.totp = 'Six digits from your authenticator app';
  return errors;
}

export function signaturePayload(me: Me, values: SignatureValues): SignatureInput {
  return {
    password: values.password,
    meaning: values.meaning,
    ...(values.username.trim() ? { username: values.username.trim() } : {}),
    ...(values.totp ? { totp: values.totp } : {}),
    ...(!me.signatureStatementAccepted && values.acceptStatement ? { acceptStatement: true } : {}),
  };
}

/** An administrator may have established the signature since "me" was loaded: check again when signing is offered. */
export function useFreshSigningPrerequisites(me: Me, signing: boolean): void {
  const queryClient = useQueryClient();
  const missing = signing && (!canSign(me) || !me.signatureStatementAccepted);
  useEffect(() => {
    if (missing) void queryClient.invalidateQueries({ queryKey: ['me'] });
  }, [missing, queryClient]);
}

/** After a failed signature: clear the password (retry) or reload "me" (prerequisites changed). */
export function useSignatureErrorHandler(setValues: (update: (values: SignatureValues) => SignatureValues) => void): (error: unknown) => void {
  const queryClient = useQueryClient();
  return (error) => {
    if (isApiError(error) && signatureCodes.has(error.code)) setValues((s) => ({ ...s, password: '', totp: '' }));
    if (isApiError(error) && prerequisiteCodes.has(error.code)) void queryClient.invalidateQueries({ queryKey: ['me'] });
  };
}

export function isSignatureFailure(error: unknown): boolean {
  return isApiError(error) && signatureCodes.has(error.code);
}

/** The failed signature, said plainly: nothing was changed, sign again. */
export function SignatureFailedAlert({ error }: { error: unknown }) {
  if (!isApiError(error) || !signatureCodes.has(error.code)) return null;
  return (
    <Alert color="red" title={error.problem.title} role="alert" data-testid="signature-error">
      {(error.problem.detail ?? 'Check your user name and password and sign again').replace(/\.?$/, '.')} Nothing was changed.
    </Alert>
  );
}
