import { Alert, Anchor, Button, Collapse, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { fieldError } from '../components/common';
import { endpoints } from '../endpoints';
import { AuthFrame } from './AuthFrame';

export function LoginPage({ next, expired }: { next: string | null; expired: boolean }) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [showTotp, setShowTotp] = useState(false);

  const login = useMutation({
    mutationFn: endpoints.login,
    meta: { silent: true },
    onSuccess: (me) => queryClient.setQueryData(['me'], me),
    onError: (error) => {
      if (isApiError(error) && /totp|authenticator|second factor/i.test(`${error.problem.detail ?? ''} ${error.problem.title}`)) setShowTotp(true);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password, totp: totp.trim() || undefined });
  };
  const problem = isApiError(login.error) ? login.error.problem : null;

  return (
    <AuthFrame title="Sign in" subtitle={next && next !== '/' ? 'Sign in to continue where you were.' : undefined}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {expired && !login.error && (
            <Alert color="yellow" title="Your session has ended">
              Sign in again to continue. Nothing you saved was lost.
            </Alert>
          )}
          {login.error && (
            <Alert color="red" title={problem?.title ?? 'Sign-in failed'} role="alert">
              {problem?.detail ?? (problem ? null : String(login.error))}
            </Alert>
          )}
          <TextInput
            label="User name"
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={fieldError(login.error, 'username')}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(login.error, 'password')}
          />
          <Anchor component="button" type="button" size="sm" onClick={() => setShowTotp((v) => !v)} ta="left" aria-expanded={showTotp}>
            {showTotp ? 'Hide authenticator code' : 'I use an authenticator app'}
          </Anchor>
          <Collapse expanded={showTotp}>
            <TextInput
              label="Authenticator code"
              description="Six digits from your authenticator app, if two-factor sign-in is enabled for you"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={totp}
              onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))}
              error={fieldError(login.error, 'totp')}
            />
          </Collapse>
          <Button type="submit" loading={login.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
