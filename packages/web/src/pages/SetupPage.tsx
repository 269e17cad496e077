import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, FormProblem } from '../components/common';
import { endpoints } from '../endpoints';
import { notifySuccess } from '../notify';
import { navigate } from '../router';
import { AuthFrame, PasswordPolicy } from './AuthFrame';

/** First start: create the first administrator with the one-time setup token the server printed. */
export function SetupPage({ token: tokenFromUrl }: { token: string }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ token: tokenFromUrl, username: '', fullName: '', email: '', password: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const setup = useMutation({
    mutationFn: async () => {
      const body = { token: form.token.trim(), username: form.username.trim(), fullName: form.fullName.trim(), email: form.email.trim() || undefined, password: form.password };
      await endpoints.setup(body);
      return endpoints.login({ username: body.username, password: body.password });
    },
    meta: { silent: true },
    onSuccess: (me) => {
      queryClient.setQueryData(['setup-status'], { needsSetup: false });
      queryClient.setQueryData(['me'], me);
      notifySuccess('Verity is set up', `Signed in as ${me.fullName}.`);
      navigate('/', { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.password !== form.confirm) return setMismatch(true);
    setMismatch(false);
    setup.mutate();
  };

  return (
    <AuthFrame title="Set up Verity" subtitle="Create the first administrator account. You will be signed in with it." width={480}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {!tokenFromUrl && (
            <Alert color="blue">Paste the setup token that the server printed at its first start, or open the link it printed.</Alert>
          )}
          {!tokenFromUrl && <TextInput label="Setup token" required value={form.token} onChange={set('token')} error={fieldError(setup.error, 'token')} />}
          <TextInput label="User name" autoComplete="username" required value={form.username} onChange={set('username')} error={fieldError(setup.error, 'username')} />
          <TextInput label="Full name" description="Printed with your electronic signatures" required value={form.fullName} onChange={set('fullName')} error={fieldError(setup.error, 'fullName')} />
          <TextInput label="E-mail" type="email" value={form.email} onChange={set('email')} error={fieldError(setup.error, 'email')} />
          <PasswordInput label="Password" autoComplete="new-password" required value={form.password} onChange={set('password')} error={fieldError(setup.error, 'password') ?? fieldError(setup.error, 'newPassword')} />
          <PasswordPolicy />
          <PasswordInput
            label="Repeat password"
            autoComplete="new-password"
            required
            value={form.confirm}
            onChange={set('confirm')}
            error={mismatch ? 'The two passwords are not the same.' : undefined}
          />
          <FormProblem error={setup.error} shownFields={['token', 'username', 'fullName', 'email', 'password', 'newPassword']} />
          <Button type="submit" loading={setup.isPending}>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
