import { Alert, Checkbox, Fieldset, Loader, Paper, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { type SignatureMeaning, signatureMeaningLabels } from '@verity/contracts';
import { useSignatureStatement } from '../auth';
import { QueryError } from '../components/common';
import type { Me } from '../endpoints';

export interface SignatureValues {
  username: string;
  password: string;
  meaning: string;
  totp: string;
  /** The accountability statement is accepted with this signature (only asked until it was accepted once). */
  acceptStatement: boolean;
}

/** Whether this person can sign at all: an administrator must have verified their identity first (11.100(b)). */
export function canSign(me: Me): boolean {
  return me.identityVerified;
}

/** Shown instead of the password fields while the signature is not established. */
export function SignatureNotEstablished() {
  return (
    <Alert color="orange" variant="light" title="You cannot sign yet" role="alert" data-testid="signature-not-established">
      <Text size="sm">
        Your electronic signature is not established yet: ask an administrator to record your identity verification. Until then you can
        read and prepare records, but not sign them (21 CFR 11.100(b)).
      </Text>
    </Alert>
  );
}

/**
 * The full accountability statement, shown until the person has accepted it once (11.10(j)), with
 * the checkbox that accepts it. Used in the signature dialog and on "My account".
 */
export function SignatureStatementBox({
  checked,
  onChange,
  error,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}) {
  const statement = useSignatureStatement();
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid="signature-statement"
      style={{ borderColor: 'var(--mantine-color-yellow-5)', background: 'var(--mantine-color-yellow-0)' }}
    >
      <Text size="sm" fw={650} mb={4}>
        Accountability statement{statement.data ? ` (version ${statement.data.version})` : ''}
      </Text>
      {statement.isPending ? (
        <Loader size="xs" />
      ) : statement.isError ? (
        <QueryError error={statement.error} what="the statement" />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-line' }} data-testid="signature-statement-text">
          {statement.data.text}
        </Text>
      )}
      <Checkbox
        mt="sm"
        label="I have read and accept this statement"
        description="Asked once, before your first electronic signature"
        required
        disabled={!statement.isSuccess}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        error={error}
      />
    </Paper>
  );
}

export function meaningLabel(meaning: string): string {
  return signatureMeaningLabels[meaning as SignatureMeaning] ?? meaning;
}

export const signatureStatement =
  'By signing I confirm that this electronic signature is the legally binding equivalent of my handwritten signature.';

/**
 * The electronic-signature part of a dialog (21 CFR 11.50, 11.200): the meaning, the statement,
 * and re-authentication — user name too on the first signing of the session.
 */
export function SignatureFields({
  me,
  meanings,
  values,
  onChange,
  errorFor,
}: {
  me: Me;
  meanings: string[];
  values: SignatureValues;
  onChange: (values: SignatureValues) => void;
  errorFor: (name: string) => string | undefined;
}) {
  const needUsername = !me.signingSessionStarted;
  const set = (key: 'username' | 'password' | 'meaning' | 'totp', value: string) => onChange({ ...values, [key]: value });
  if (!canSign(me)) {
    return (
      <Fieldset legend="Electronic signature" radius="md" styles={{ root: { background: 'var(--mantine-color-gray-0)' } }}>
        <Text size="sm" c="dimmed" data-testid="signature-blocked">
          Signing is not possible yet: your electronic signature is not established (see above).
        </Text>
      </Fieldset>
    );
  }
  return (
    <Fieldset legend="Electronic signature" radius="md" styles={{ root: { background: 'var(--mantine-color-gray-0)' } }}>
      <Stack gap="sm">
        {meanings.length > 1 ? (
          <Select
            label="Meaning of this signature"
            required
            data={meanings.map((m) => ({ value: m, label: meaningLabel(m) }))}
            value={values.meaning || null}
            onChange={(v) => set('meaning', v ?? '')}
            error={errorFor('meaning')}
            allowDeselect={false}
          />
        ) : (
          <div>
            <Text size="sm" fw={500}>
              Meaning of this signature
            </Text>
            <Text size="lg" fw={650} data-testid="signature-meaning">
              {meaningLabel(values.meaning)}
            </Text>
          </div>
        )}
        {!me.signatureStatementAccepted && (
          <SignatureStatementBox checked={values.acceptStatement} onChange={(checked) => onChange({ ...values, acceptStatement: checked })} error={values.acceptStatement ? undefined : errorFor('acceptStatement')} />
        )}
        <Alert color="blue" variant="light" p="xs">
          {me.signatureStatementAccepted && <Text size="sm">{signatureStatement}</Text>}
          <Text size="sm" mt={me.signatureStatementAccepted ? 4 : 0}>
            Signing as <strong>{me.fullName}</strong>. Your printed name, the date and time (UTC) and the meaning are shown with the record.
          </Text>
        </Alert>
        {needUsername && (
          <TextInput
            label="User name"
            description="First signature of this session: enter your user name and password"
            autoComplete="username"
            required
            value={values.username}
            onChange={(e) => set('username', e.currentTarget.value)}
            error={errorFor('username')}
          />
        )}
        <PasswordInput
          label="Password"
          description={needUsername ? undefined : 'Continuous session: your password confirms this signature'}
          autoComplete="current-password"
          required
          value={values.password}
          onChange={(e) => set('password', e.currentTarget.value)}
          error={errorFor('password')}
        />
        {me.totpEnabled && (
          <TextInput
            label="Authenticator code"
            description="Two-factor authentication is on: six digits from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            value={values.totp}
            onChange={(e) => set('totp', e.currentTarget.value.replace(/\D/g, ''))}
            error={errorFor('totp')}
          />
        )}
      </Stack>
    </Fieldset>
  );
}
