import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, FormProblem } from '../components/common';
import { endpoints, type Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { navigate } from '../router';
import { AuthFrame, PasswordPolicy } from './AuthFrame';

function ChangePasswordForm({ me, forced }: { me: Me; forced: boolean }) {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: endpoints.changePassword,
    meta: { silent: true },
    onSuccess: async () => {
      notifySuccess('Password changed', 'Use the new password from now on, also for signing.');
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      navigate('/', { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword.length < 12) return setLocalError('The new password needs at least 12 characters.');
    if (newPassword.toLowerCase().includes(me.username.toLowerCase())) return setLocalError('The new password must not contain your user name.');
    if (newPassword !== confirm) return setLocalError('The two new passwords are not the same.');
    setLocalError(null);
    change.mutate({ currentPassword, newPassword });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {forced && (
          <Alert color="blue" title="Choose your own password">
            Your password was set by an administrator or has expired. Choose a new one before you continue.
          </Alert>
        )}
        <div>
          <Text size="sm" fw={500}>
            Password policy
          </Text>
          <PasswordPolicy />
        </div>
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={fieldError(change.error, 'currentPassword')}
        />
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(e) => setNew(e.currentTarget.value)}
          error={fieldError(change.error, 'newPassword')}
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={localError ?? undefined}
        />
        <FormProblem error={change.error} shownFields={['currentPassword', 'newPassword']} />
        <Group justify="flex-end">
          {!forced && (
            <Button variant="default" onClick={() => navigate('/')}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ChangePasswordPage({ me, forced }: { me: Me; forced: boolean }) {
  if (forced) {
    return (
      <AuthFrame title="Change your password" subtitle={`Signed in as ${me.fullName} (${me.username})`}>
        <ChangePasswordForm me={me} forced />
      </AuthFrame>
    );
  }
  return (
    <Paper withBorder p="lg" maw={520}>
      <Title order={3} mb="md">
        Change your password
      </Title>
      <ChangePasswordForm me={me} forced={false} />
    </Paper>
  );
}
