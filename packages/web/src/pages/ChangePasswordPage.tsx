import { Alert, Anchor, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSignOut } from '../auth';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { endpoints, type Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { navigate } from '../router';
import { AuthFrame, PasswordPolicy } from './AuthFrame';

/** Checks the browser can make before asking the server (which checks the whole policy again). */
function localPolicyProblem(me: Me, newPassword: string, confirm: string): string | null {
  if (newPassword.length < 12) return 'The new password needs at least 12 characters.';
  if (newPassword.toLowerCase().includes(me.username.toLowerCase())) return 'The new password must not contain your user name.';
  if (newPassword !== confirm) return 'The two new passwords are not the same.';
  return null;
}

/**
 * Change your own password (21 CFR 11.300(b)). The server ends every other session of the user on
 * a change, so a password someone else may know stops working everywhere at once.
 */
export function ChangePasswordForm({ me, forced }: { me: Me; forced: boolean }) {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [changedAt, setChangedAt] = useState<Date | null>(null);

  const change = useMutation({
    mutationFn: endpoints.changePassword,
    meta: { silent: true },
    onSuccess: async () => {
      notifySuccess('Password changed', 'Use the new password from now on, also for signing. Your other sessions were signed out.');
      setCurrent('');
      setNew('');
      setConfirm('');
      setChangedAt(new Date());
      if (forced) {
        // Leave the forced page and drop the flag in one render, then fetch the fresh session.
        queryClient.setQueryData<Me | null>(['me'], (old) => (old ? { ...old, mustChangePassword: false } : old));
        navigate('/', { replace: true });
      }
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = localPolicyProblem(me, newPassword, confirm);
    setLocalError(problem);
    setChangedAt(null);
    if (problem) return;
    change.mutate({ currentPassword, newPassword });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
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
          <PasswordPolicy expiry />
        </div>
        <PasswordInput
          label="Current password"
          description={forced ? 'The temporary password you were given' : undefined}
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
        {changedAt && !forced && (
          <Alert color="teal" title="Password changed" data-testid="password-changed">
            Use the new password from now on, also for signing. Your other sessions (other browsers and devices) were signed out; this one stays open.
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          Changing your password signs you out everywhere else; this session stays open.
        </Text>
        <FormActions submitLabel="Change password" loading={change.isPending} />
      </Stack>
    </form>
  );
}

/** The forced change after a temporary or expired password: nothing else is reachable until it is done. */
export function ChangePasswordPage({ me }: { me: Me }) {
  const signOut = useSignOut();
  return (
    <AuthFrame title="Change your password" subtitle={`Signed in as ${me.fullName} (${me.username})`} width={460}>
      <ChangePasswordForm me={me} forced />
      <Group justify="center" mt="md">
        <Anchor component="button" type="button" size="sm" c="dimmed" onClick={signOut}>
          Sign out instead
        </Anchor>
      </Group>
    </AuthFrame>
  );
}
