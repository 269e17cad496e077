import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type ApiError, isApiError } from '../api';
import { fieldError } from '../components/common';
import { endpoints } from '../endpoints';
import { AuthFrame } from './AuthFrame';

/** The server accepted the password but wants (another) authenticator code. */
function asksForTotp(error: unknown): error is ApiError {
  return isApiError(error) && error.status === 401 && (error.problem.errors ?? []).some((e) => e.path === 'totp');
}

export function LoginPage({ next, expired }: { next: string | null; expired: boolean }) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [showTotp, setShowTotp] = useState(false);
  /** The code the last refused attempt carried ('' when none): tells "missing" from "wrong". */
  const [sentTotp, setSentTotp] = useState('');
  const [focusTotp, setFocusTotp] = useState(0);
  const totpRef = useRef<HTMLInputElement>(null);

  const login = useMutation({
    mutationFn: endpoints.login,
    meta: { silent: true },
    onSuccess: (me) => queryClient.setQueryData(['me'], me),
    onError: (error, variables) => {
      if (asksForTotp(error)) {
        setShowTotp(true);
        setSentTotp(variables.totp ?? '');
        setTotp('');
        setFocusTotp((n) => n + 1);
      }
    },
  });

  useEffect(() => {
    if (focusTotp) totpRef.current?.focus();
  }, [focusTotp]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password, totp: totp.trim() || undefined });
  };
  const error = login.error;
  const totpAsked = asksForTotp(error);
  const problem = isApiError(error) ? error.problem : null;

  return (
    <AuthFrame title="Sign in" subtitle={next && next !== '/' ? 'Sign in to continue where you were.' : undefined}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {expired && !error && (
            <Alert color="yellow" title="Your session has ended">
              Sign in again to continue. Nothing you saved was lost.
            </Alert>
          )}
          {error && totpAsked && (
            <Alert color={sentTotp ? 'red' : 'blue'} title={sentTotp ? 'The authenticator code is wrong' : 'Enter your authenticator code'} role="alert" data-testid="login-error">
              {sentTotp
                ? 'Codes change every 30 seconds: enter the one your authenticator app shows now. Wrong codes count toward locking the account.'
                : 'Two-factor authentication is on for this account. Enter the six-digit code from your authenticator app to finish signing in.'}
            </Alert>
          )}
          {error && !totpAsked && (
            <Alert color="red" title={problem?.title ?? 'Sign-in failed'} role="alert" data-testid="login-error">
              {problem ? problem.detail : String(error)}
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
            error={fieldError(error, 'username')}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(error, 'password')}
          />
          {!totpAsked && (
            <Anchor component="button" type="button" size="sm" onClick={() => setShowTotp((v) => !v)} ta="left" aria-expanded={showTotp}>
              {showTotp ? 'Hide authenticator code' : 'I use an authenticator app'}
            </Anchor>
          )}
          {showTotp && (
            <TextInput
              ref={totpRef}
              label="Authenticator code"
              description="Six digits from your authenticator app"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required={totpAsked}
              value={totp}
              onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))}
              styles={{ input: { letterSpacing: 4, fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          )}
          <Button type="submit" loading={login.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
