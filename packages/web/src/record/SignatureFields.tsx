import { Alert, Fieldset, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { type SignatureMeaning, signatureMeaningLabels } from '@verity/contracts';
import type { Me } from '../endpoints';

export interface SignatureValues {
  username: string;
  password: string;
  meaning: string;
  totp: string;
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
  const set = (key: keyof SignatureValues, value: string) => onChange({ ...values, [key]: value });
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
        <Alert color="blue" variant="light" p="xs">
          <Text size="sm">{signatureStatement}</Text>
          <Text size="sm" mt={4}>
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
