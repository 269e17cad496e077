import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { hasPermission } from '../auth';
import { DateTime, Empty, fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { formatDate } from '../format';
import { notifySuccess } from '../notify';
import { canSign, SignatureFields, SignatureNotEstablished, type SignatureValues } from '../record/SignatureFields';
import { capaEndpoints, type Extension } from './endpoints';

/** Who decides extensions of each record type (the server checks it again at the record's site). */
const approvePermission: Record<string, string> = { deviation: 'deviation:approve', change: 'change:approve', capa: 'capa:approve', action: 'capa:approve' };
const decisionColors = { pending: 'yellow', approved: 'teal', rejected: 'red' } as const;

interface RecordRef {
  id: string;
  type: string;
  number: string;
  dueDate: string | null;
}

/**
 * Due-date extensions of a record: the requests with their justification and decision; a request
 * form for the owner or an editor; approve (signed) or reject for approvers other than the requester.
 * The original due date stays with every request, for the on-time figures.
 */
export function ExtensionsPanel({ record, canRequest, me, closed }: { record: RecordRef; canRequest: boolean; me: Me; closed: boolean }) {
  const [requesting, setRequesting] = useState(false);
  const [deciding, setDeciding] = useState<{ extension: Extension; approve: boolean } | null>(null);
  const extensions = useQuery({ queryKey: ['record', record.id, 'extensions'], queryFn: () => capaEndpoints.extensions(record.id) });
  const items = extensions.data?.items ?? [];
  const pending = items.some((e) => e.decision === 'pending');
  const mayDecide = hasPermission(me, approvePermission[record.type] ?? 'capa:approve');
  return (
    <Stack gap="xs" data-testid="extensions">
      {extensions.isPending ? (
        <Loading />
      ) : extensions.isError ? (
        <QueryError error={extensions.error} what="the extension requests" />
      ) : items.length === 0 ? (
        <Empty>No extension requested.</Empty>
      ) : (
        [...items].reverse().map((e) => (
          <Paper key={e.id} withBorder radius="md" p="xs" data-testid="extension">
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <Text size="sm" fw={600}>
                {formatDate(e.originalDueDate)} → {formatDate(e.requestedDueDate)}
              </Text>
              <Badge color={decisionColors[e.decision]} variant="light" tt="none" style={{ flexShrink: 0 }}>
                {e.decision === 'pending' ? 'Waiting for decision' : e.decision === 'approved' ? 'Approved' : 'Rejected'}
              </Badge>
            </Group>
            <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {e.justification}
            </Text>
            <Text size="xs" c="dimmed" mt={2}>
              Requested by {e.requestedByName}, <DateTime iso={e.requestedAt} />
            </Text>
            {e.decision !== 'pending' && (
              <Text size="xs" c="dimmed">
                {e.decision === 'approved' ? 'Approved' : 'Rejected'} by {e.decidedByName}, <DateTime iso={e.decidedAt} />
                {e.decisionReason ? ` — ${e.decisionReason}` : ''}
              </Text>
            )}
            {e.decision === 'pending' &&
              mayDecide &&
              !closed &&
              (e.requestedByName === me.fullName ? (
                <Text size="xs" c="dimmed" mt={4}>
                  You requested it: another approver decides.
                </Text>
              ) : (
                <Group gap="xs" mt={6}>
                  <Button size="compact-sm" onClick={() => setDeciding({ extension: e, approve: true })}>
                    Approve…
                  </Button>
                  <Button size="compact-sm" variant="default" color="red" onClick={() => setDeciding({ extension: e, approve: false })}>
                    Reject…
                  </Button>
                </Group>
              ))}
          </Paper>
        ))
      )}
      {canRequest && !closed && record.dueDate && !pending && (
        <Button size="xs" variant="default" onClick={() => setRequesting(true)} style={{ alignSelf: 'flex-start' }}>
          Request a later due date
        </Button>
      )}
      {requesting && <RequestModal record={record} onClose={() => setRequesting(false)} />}
      {deciding && <DecisionModal record={record} me={me} extension={deciding.extension} approve={deciding.approve} onClose={() => setDeciding(null)} />}
    </Stack>
  );
}

function useAfterChange(recordId: string) {
  const queryClient = useQueryClient();
  return () => {
    // An approval moves the record's due date (a new version): the record, lists and tasks change too.
    void queryClient.invalidateQueries({ queryKey: ['record', recordId] });
    for (const key of ['capas', 'changes', 'deviations', 'tasks', 'metrics']) void queryClient.invalidateQueries({ queryKey: [key] });
  };
}

function RequestModal({ record, onClose }: { record: RecordRef; onClose: () => void }) {
  const afterChange = useAfterChange(record.id);
  const [date, setDate] = useState('');
  const [justification, setJustification] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const request = useMutation({
    mutationFn: () => capaEndpoints.requestExtension(record.id, { requestedDueDate: date, justification: justification.trim() }),
    onSuccess: () => {
      afterChange();
      notifySuccess('Extension requested', 'An approver decides; the due date stays until then.');
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!date) errors.requestedDueDate = 'Choose the new due date';
    else if (record.dueDate && date <= record.dueDate) errors.requestedDueDate = `Must be after the current due date (${formatDate(record.dueDate)})`;
    if (!justification.trim()) errors.justification = 'Justify the extension: why, and what keeps the risk under control meanwhile';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) request.mutate();
  };
  const err = (name: string) => localErrors[name] ?? fieldError(request.error, name);
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Request a later due date for {record.number}</Text>} size="md" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Currently due <strong>{formatDate(record.dueDate)}</strong>. The request is recorded in the audit trail; the due date moves only when an approver signs it.
          </Text>
          <TextInput type="date" label="New due date" required min={record.dueDate ?? undefined} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={err('requestedDueDate')} />
          <Textarea
            label="Justification"
            description="Why more time is needed and how the risk is controlled meanwhile"
            required
            autosize
            minRows={3}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
            error={err('justification')}
          />
          <FormProblem error={request.error} shownFields={['requestedDueDate', 'justification']} />
          <FormActions submitLabel="Request extension" loading={request.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

const signatureCodes = new Set(['SIGNATURE_FAILED', 'SIGNATURE_REQUIRED', 'INVALID_CREDENTIALS']);

function DecisionModal({ record, me, extension, approve, onClose }: { record: RecordRef; me: Me; extension: Extension; approve: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const afterChange = useAfterChange(record.id);
  const [reason, setReason] = useState('');
  const [signature, setSignature] = useState<SignatureValues>({ username: '', password: '', meaning: 'approval', totp: '', acceptStatement: false });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const decide = useMutation({
    mutationFn: () =>
      capaEndpoints.decideExtension(record.id, extension.id, {
        approve,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(approve
          ? {
              signature: {
                password: signature.password,
                meaning: 'approval' as const,
                ...(signature.username.trim() ? { username: signature.username.trim() } : {}),
                ...(signature.totp ? { totp: signature.totp } : {}),
                ...(!me.signatureStatementAccepted && signature.acceptStatement ? { acceptStatement: true } : {}),
              },
            }
          : {}),
      }),
    onSuccess: () => {
      afterChange();
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess(approve ? 'Extension approved' : 'Extension rejected', approve ? `${record.number} is now due ${formatDate(extension.requestedDueDate)}.` : undefined);
      onClose();
    },
    onError: (error) => {
      if (isApiError(error) && signatureCodes.has(error.code)) setSignature((s) => ({ ...s, password: '', totp: '' }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!approve && !reason.trim()) errors.reason = 'Give the reason for rejecting: the requester reads it';
    if (approve) {
      if (!canSign(me)) return;
      if (!me.signatureStatementAccepted && !signature.acceptStatement) errors.acceptStatement = 'Tick the box to accept the statement';
      if (!me.signingSessionStarted && !signature.username.trim()) errors.username = 'Enter your user name to sign';
      if (!signature.password) errors.password = 'Enter your password to sign';
      if (me.totpEnabled && !/^\d{6}$/.test(signature.totp)) errors.totp = 'Six digits from your authenticator app';
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) decide.mutate();
  };
  const errorFor = (name: string) => localErrors[name] ?? fieldError(decide.error, name);
  const signatureFailed = isApiError(decide.error) && signatureCodes.has(decide.error.code);
  const title = approve ? 'Approve the extension — electronic signature' : 'Reject the extension';
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>{title}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {record.number}: due <strong>{formatDate(record.dueDate)}</strong> → <strong>{formatDate(extension.requestedDueDate)}</strong>, requested by{' '}
            {extension.requestedByName}.
          </Text>
          <Paper withBorder p="xs" radius="md" bg="gray.0">
            <Text size="xs" c="dimmed" fw={600}>
              Justification
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {extension.justification}
            </Text>
          </Paper>
          {approve && !canSign(me) && <SignatureNotEstablished />}
          {signatureFailed && isApiError(decide.error) && (
            <Alert color="red" title={decide.error.problem.title} role="alert">
              {(decide.error.problem.detail ?? 'Check your user name and password and sign again').replace(/\.?$/, '.')} Nothing was changed.
            </Alert>
          )}
          <Textarea
            label={approve ? 'Comment (optional)' : 'Reason for rejecting'}
            required={!approve}
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errorFor('reason')}
          />
          {approve && <SignatureFields me={me} meanings={['approval']} values={signature} onChange={setSignature} errorFor={errorFor} />}
          {!signatureFailed && <FormProblem error={decide.error} shownFields={['reason', 'username', 'password', 'totp', 'acceptStatement', 'signature']} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={approve ? undefined : 'red'} loading={decide.isPending} disabled={approve && !canSign(me)} data-testid="extension-decision-submit">
              {approve ? 'Sign and approve' : 'Reject'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
