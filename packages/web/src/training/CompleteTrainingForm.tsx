import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { hasPermission } from '../auth';
import { fieldError, FormProblem } from '../components/common';
import type { Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { canSign, SignatureFields, SignatureNotEstablished, type SignatureValues } from '../record/SignatureFields';
import { type AssignmentDetail, training } from './endpoints';
import {
  emptySignature,
  isSignatureFailure,
  SignatureFailedAlert,
  signatureFieldNames,
  signaturePayload,
  signatureProblems,
  useFreshSigningPrerequisites,
  useSignatureErrorHandler,
} from './signing';
import { TimeOnPage } from './timeOnPage';

/**
 * The last step of self-study: the trainee's electronic signature "Read and understood" on this
 * revision, with the time spent on the page.
 */
export function CompleteTrainingForm({ assignment, me, timeSpent, onReload }: { assignment: AssignmentDetail; me: Me; timeSpent: () => number; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [signature, setSignature] = useState<SignatureValues>(() => emptySignature('read_understood'));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  useFreshSigningPrerequisites(me, true);
  const onSignatureError = useSignatureErrorHandler(setSignature);
  const complete = useMutation({
    mutationFn: () => training.complete(assignment.id, { version: assignment.version, timeSpentSeconds: timeSpent(), signature: signaturePayload(me, signature) }),
    meta: { silent: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(['training', 'assignment', assignment.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['training'] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess('Training completed', `${updated.documentNumber} v${updated.versionLabel}: signed “Read and understood”.`);
    },
    onError: onSignatureError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSign(me)) return;
    const errors = signatureProblems(me, signature);
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) complete.mutate();
  };
  const errorFor = (name: string) => localErrors[name] ?? fieldError(complete.error, name);
  const conflict = isApiError(complete.error) && complete.error.code === 'VERSION_CONFLICT';
  const blocked = !canSign(me) || !hasPermission(me, 'sign:read_understood');

  return (
    <form onSubmit={submit} noValidate aria-label="Sign your training">
      <Stack gap="sm">
        <Text size="sm">
          By signing you confirm that you have read and understood{' '}
          <strong>
            {assignment.documentNumber} v{assignment.versionLabel}
          </strong>{' '}
          “{assignment.title}”{assignment.changedSections.length > 0 ? ', including the changed sections' : ''} and will work by it.
        </Text>
        {!canSign(me) && <SignatureNotEstablished />}
        {canSign(me) && !hasPermission(me, 'sign:read_understood') && (
          <Alert color="orange" variant="light" title="You cannot sign training" role="alert">
            None of your roles allows signing training. Ask your administrator.
          </Alert>
        )}
        {conflict && (
          <Alert color="orange" title="This training changed since you opened it — reload" role="alert">
            <Text size="sm">Reload the page, check what changed, then sign again.</Text>
            <Button
              size="xs"
              mt="xs"
              variant="white"
              color="orange"
              onClick={() => {
                complete.reset();
                onReload();
              }}
            >
              Reload
            </Button>
          </Alert>
        )}
        <SignatureFailedAlert error={complete.error} />
        <SignatureFields me={me} meanings={['read_understood']} values={signature} onChange={setSignature} errorFor={errorFor} />
        {!conflict && !isSignatureFailure(complete.error) && <FormProblem error={complete.error} shownFields={signatureFieldNames} />}
        <Group justify="space-between" align="center">
          <TimeOnPage seconds={timeSpent} />
          <Button type="submit" loading={complete.isPending} disabled={blocked} data-testid="complete-training">
            Sign: I have read and understood
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
