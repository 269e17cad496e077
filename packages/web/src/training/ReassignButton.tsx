import { Alert, Button, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { notifySuccess } from '../notify';
import { navigate } from '../router';
import { type AssignmentDetail, training } from './endpoints';

/** A training manager gives failed training (quiz attempts used up) a new attempt, with a reason. */
export function ReassignButton({ assignment }: { assignment: AssignmentDetail }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const reassign = useMutation({
    mutationFn: () => training.reassign(assignment.id, reason.trim()),
    meta: { silent: true },
    onSuccess: ({ id }) => {
      void queryClient.invalidateQueries({ queryKey: ['training'] });
      notifySuccess('Training re-assigned', `${assignment.userName} has a new attempt at ${assignment.documentNumber} v${assignment.versionLabel}.`);
      setOpened(false);
      navigate(`/training/${id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (reason.trim()) reassign.mutate();
  };
  return (
    <>
      <Button color="orange" onClick={() => setOpened(true)} data-testid="reassign">
        Re-assign with a new attempt…
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={<Text fw={650}>Re-assign training</Text>}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Alert color="blue" variant="light">
              {assignment.userName} used up the quiz attempts on {assignment.documentNumber} v{assignment.versionLabel}. A new assignment with fresh attempts is created, due in 14
              days; the failed one stays in the record.
            </Alert>
            <Textarea
              label="Reason"
              description="Recorded in the audit trail, e.g. “Coached on the glove change on 3 March; second chance agreed”"
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={(tried && !reason.trim() ? 'Give the reason' : undefined) ?? fieldError(reassign.error, 'reason')}
            />
            <FormProblem error={reassign.error} shownFields={['reason']} ignoredFields={['id']} />
            <FormActions submitLabel="Re-assign" loading={reassign.isPending} onCancel={() => setOpened(false)} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}
