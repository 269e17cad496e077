import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Grid,
  Group,
  List,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { roleLabels } from '@verity/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { isApiError } from '../api';
import { useSignatureStatement } from '../auth';
import { DateTime, fieldError, FormActions, FormProblem } from '../components/common';
import { type ApiTokenCreated, type ApiTokenScope, endpoints, type Me, type TotpEnrolment } from '../endpoints';
import { formatLocal } from '../format';
import { notifySuccess } from '../notify';
import { SignatureStatementBox } from '../record/SignatureFields';
import { ChangePasswordForm } from './ChangePasswordPage';

/** One titled card of the account page; a labelled region so tests and screen readers find it. */
function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <Paper component="section" aria-labelledby={id} withBorder radius="md" p="lg">
      <Title order={3} id={id} size="h4" mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="md">
          {description}
        </Text>
      )}
      {children}
    </Paper>
  );
}

/** A value the user copies somewhere else: shown in full, with a copy button next to it. */
function Copyable({ value, shown, label, testId }: { value: string; shown?: string; label: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="stretch">
      <Code
        block
        fz="sm"
        data-testid={testId}
        style={{ flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', display: 'flex', alignItems: 'center' }}
      >
        {shown ?? value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy} aria-label={`Copy ${label}`} style={{ flexShrink: 0 }}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

/** "JBSW Y3DP EHPK 3PXP": easier to read out and type into a phone. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

function ProfileSection({ me }: { me: Me }) {
  return (
    <Section title="You" description="Your name as printed with your electronic signatures, and what you may do at which site.">
      <Stack gap="md">
        <Table variant="vertical" layout="fixed" withTableBorder={false} fz="sm" verticalSpacing={4}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={150}>Full name</Table.Th>
              <Table.Td>{me.fullName}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>User name</Table.Th>
              <Table.Td ff="monospace">{me.username}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>E-mail</Table.Th>
              <Table.Td>{me.email ?? <Text span c="dimmed">—</Text>}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Roles by site
          </Text>
          {me.roles.length === 0 ? (
            <Text size="sm" c="dimmed">
              You have no roles yet: ask an administrator to grant you one.
            </Text>
          ) : (
            <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Your roles">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Role</Table.Th>
                  <Table.Th w={120}>Site</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {me.roles.map((grant) => (
                  <Table.Tr key={`${grant.role}@${grant.siteCode}`}>
                    <Table.Td>{roleLabels[grant.role] ?? grant.role}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray" tt="none">
                        {grant.siteCode}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="xs" c="dimmed" mt={4}>
            Roles are granted and changed by an administrator, never by yourself.
          </Text>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            This session
          </Text>
          <List size="sm" spacing={2}>
            <List.Item data-testid="session-expiry">
              {me.sessionExpiresAt ? (
                <>
                  Ends at <DateTime iso={me.sessionExpiresAt} /> at the latest, earlier after a period without activity.
                </>
              ) : (
                'Not a browser session.'
              )}
            </List.Item>
            <List.Item>
              {me.signingSessionStarted
                ? 'You have signed electronically in this session: further signatures need your password only.'
                : 'Your first electronic signature in this session needs your user name and password.'}
            </List.Item>
          </List>
        </div>
      </Stack>
    </Section>
  );
}

/** Read the accountability statement; accept it here rather than with the first signature (11.10(j)). */
function StatementModal({ me, onClose }: { me: Me; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [checked, setChecked] = useState(false);
  const [localError, setLocalError] = useState<string | undefined>();
  const accept = useMutation({
    mutationFn: endpoints.acceptSignatureStatement,
    meta: { silent: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(['me'], updated);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess('Statement accepted', 'Your acceptance is recorded in the audit trail. It is not asked again with your signatures.');
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!checked) return setLocalError('Tick the box to accept the statement');
    setLocalError(undefined);
    accept.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Electronic signature: accountability statement</Text>} size="lg">
      {me.signatureStatementAccepted ? (
        <Stack gap="sm">
          <StatementText />
          <Alert color="teal" variant="light">
            You have accepted this statement.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Accept the statement">
          <Stack gap="sm">
            <SignatureStatementBox
              checked={checked}
              onChange={(value) => {
                setChecked(value);
                if (value) setLocalError(undefined);
              }}
              error={localError}
            />
            <FormProblem error={accept.error} />
            <FormActions submitLabel="Accept statement" loading={accept.isPending} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function StatementText() {
  const statement = useSignatureStatement();
  if (statement.isPending) return <Text size="sm" c="dimmed">Loading…</Text>;
  if (statement.isError) return <FormProblem error={statement.error} />;
  return (
    <Paper withBorder radius="md" p="sm" data-testid="signature-statement-text">
      <Text size="xs" c="dimmed" mb={4}>
        Version {statement.data.version}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
        {statement.data.text}
      </Text>
    </Paper>
  );
}

/** Whether this person can sign electronically, and what is still missing (11.100(b), 11.10(j)). */
function ElectronicSignatureSection({ me }: { me: Me }) {
  const [reading, setReading] = useState(false);
  return (
    <Section title="Electronic signature" description="Your electronic signature is the legally binding equivalent of your handwritten signature.">
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="signature-established">
          {me.identityVerified ? (
            <Badge color="teal" variant="light" tt="none" style={{ flexShrink: 0 }}>
              Established
            </Badge>
          ) : (
            <Badge color="orange" variant="outline" tt="none" style={{ flexShrink: 0 }}>
              Not established
            </Badge>
          )}
          <Text size="sm">
            {me.identityVerified
              ? `An administrator verified your identity on ${formatLocal(me.identityVerifiedAt)}: you can sign electronically.`
              : 'An administrator must record how your identity was verified before you can sign. Ask your system administrator.'}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="signature-statement-status">
          {me.signatureStatementAccepted ? (
            <Badge color="teal" variant="light" tt="none" style={{ flexShrink: 0 }}>
              Statement accepted
            </Badge>
          ) : (
            <Badge color="yellow" variant="outline" tt="none" style={{ flexShrink: 0 }}>
              Statement not accepted
            </Badge>
          )}
          <Text size="sm">
            {me.signatureStatementAccepted
              ? `You accepted the accountability statement for electronic signatures on ${formatLocal(me.signatureStatementAcceptedAt)}.`
              : 'Read and accept the accountability statement: here, or with your first signature.'}
          </Text>
        </Group>
        <Group>
          <Button variant={me.signatureStatementAccepted ? 'default' : 'filled'} onClick={() => setReading(true)}>
            {me.signatureStatementAccepted ? 'Read the statement' : 'Read and accept the statement…'}
          </Button>
        </Group>
      </Stack>
      {reading && <StatementModal me={me} onClose={() => setReading(false)} />}
    </Section>
  );
}

function TwoFactorSection({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const start = useMutation({ mutationFn: endpoints.startTotp, meta: { silent: true }, onSuccess: setEnrolment });
  const confirm = useMutation({
    mutationFn: endpoints.confirmTotp,
    meta: { silent: true },
    onSuccess: async () => {
      notifySuccess('Two-factor authentication is on', 'From now on, sign-in and electronic signatures ask for a code from your authenticator app.');
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      setEnrolment(null);
      setCode('');
    },
    onError: () => setCode(''),
  });

  useEffect(() => {
    if (enrolment) codeRef.current?.focus();
  }, [enrolment]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) return setLocalError('Enter the six digits your authenticator app shows now');
    setLocalError(null);
    confirm.mutate(code);
  };

  const description = 'A second component besides your password: a six-digit code from an authenticator app on your phone, asked at sign-in and when you sign electronically.';

  if (me.totpEnabled) {
    return (
      <Section title="Two-factor authentication" description={description}>
        <Alert color="teal" title="Two-factor authentication is on" data-testid="totp-on">
          Sign-in and electronic signatures ask for the code from your authenticator app. To turn it off or move it to a new phone, ask an
          administrator.
        </Alert>
      </Section>
    );
  }

  if (!enrolment) {
    return (
      <Section title="Two-factor authentication" description={description}>
        <Stack gap="sm">
          <Group gap="xs">
            <Badge color="gray" variant="light" tt="none">
              Off
            </Badge>
            <Text size="sm">Only your password protects your account.</Text>
          </Group>
          <FormProblem error={start.error} />
          <Group>
            <Button onClick={() => start.mutate()} loading={start.isPending}>
              Set up two-factor authentication
            </Button>
          </Group>
        </Stack>
      </Section>
    );
  }

  const codeError = localError ?? (isApiError(confirm.error) && confirm.error.code === 'VALIDATION_FAILED' ? 'The code does not match. Check that your phone shows the right time and enter the current code.' : undefined);
  return (
    <Section title="Two-factor authentication" description={description}>
      <form onSubmit={submit} noValidate aria-label="Set up two-factor authentication">
        <Stack gap="md">
          <div>
            <Text size="sm" fw={600} mb={4}>
              1. Add Verity to your authenticator app
            </Text>
            <Text size="sm" c="dimmed" mb="xs">
              Choose “enter a setup key” in the app and type this key (time-based, 6 digits, 30 seconds):
            </Text>
            <Copyable value={enrolment.secret} shown={groupSecret(enrolment.secret)} label="setup key" testId="totp-secret" />
            <Text size="sm" c="dimmed" mt="sm" mb="xs">
              Or copy this setup link into an app or password manager that accepts one:
            </Text>
            <Copyable value={enrolment.otpauthUrl} label="setup link" testId="totp-url" />
            <Text size="xs" c="dimmed" mt={4}>
              Keep the key to yourself: anyone who has it can produce your codes.
            </Text>
          </div>
          <div>
            <Text size="sm" fw={600} mb={4}>
              2. Confirm with a code
            </Text>
            <Group align="flex-start" gap="sm" wrap="wrap">
              <TextInput
                ref={codeRef}
                label="Code from your authenticator app"
                description="Six digits"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
                error={codeError}
                w={300}
                styles={{ input: { letterSpacing: 4, fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
            </Group>
          </div>
          {!codeError && <FormProblem error={confirm.error} shownFields={['code']} />}
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                setEnrolment(null);
                setCode('');
                setLocalError(null);
                confirm.reset();
              }}
            >
              Cancel
            </Button>
            <Button type="submit" loading={confirm.isPending}>
              Turn on two-factor authentication
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

const scopeOptions: { value: ApiTokenScope; label: string; description: string }[] = [
  { value: 'read', label: 'Read', description: 'look up records, audit trails and reports' },
  { value: 'write', label: 'Write', description: 'create and change records within your roles' },
];

function ApiTokenModal({ token, onClose }: { token: ApiTokenCreated; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>API token “{token.name}”</Text>} closeOnClickOutside={false} size="lg">
      <Stack gap="sm">
        <Alert color="yellow" title="Copy the token now: it will not be shown again">
          Verity keeps only a fingerprint of it. Whoever has the token can act as you with the {token.scopes.join(' and ')} scope{token.scopes.length > 1 ? 's' : ''} until {formatLocal(token.expiresAt)}.
          Store it in a password manager or your integration's secret store, not in a file or e-mail.
        </Alert>
        <Copyable value={token.token} label="API token" testId="api-token" />
        <Text size="xs" c="dimmed">
          Send it as <Code>Authorization: Bearer …</Code>. Tokens cannot sign electronically.
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose}>I have copied it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ApiTokensSection() {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['read']);
  const [days, setDays] = useState<number | string>(90);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);

  const create = useMutation({
    mutationFn: endpoints.createApiToken,
    meta: { silent: true },
    onSuccess: (token) => {
      setCreated(token);
      setName('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = 'Name the token after what uses it';
    if (scopes.length === 0) errors.scopes = 'Choose at least one scope';
    const expiresInDays = typeof days === 'number' ? days : Number(days);
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) errors.expiresInDays = 'Between 1 and 365 days';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) create.mutate({ name: name.trim(), scopes, expiresInDays });
  };
  const errorFor = (field: string) => localErrors[field] ?? fieldError(create.error, field);

  return (
    <Section
      title="API tokens"
      description="For scripts and integrations that call the Verity API as you. A token can do only what your roles allow, limited further by its scopes."
    >
      <form onSubmit={submit} noValidate aria-label="New API token">
        <Stack gap="sm">
          <TextInput label="Name" description="What uses it, e.g. “LIMS export”" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorFor('name')} />
          <Checkbox.Group label="Scopes" required value={scopes} onChange={(v) => setScopes(v.filter((s): s is ApiTokenScope => s === 'read' || s === 'write'))} error={errorFor('scopes')}>
            <Stack gap={6} mt={6}>
              {scopeOptions.map((option) => (
                <Checkbox key={option.value} value={option.value} label={option.label} description={option.description} />
              ))}
            </Stack>
          </Checkbox.Group>
          <NumberInput
            label="Expires after (days)"
            description="1 to 365"
            required
            min={1}
            max={365}
            allowDecimal={false}
            allowNegative={false}
            value={days}
            onChange={setDays}
            error={errorFor('expiresInDays')}
            w={200}
          />
          <FormProblem error={create.error} shownFields={['name', 'scopes', 'expiresInDays']} />
          <Text size="xs" c="dimmed">
            Tokens cannot be listed or revoked from this page yet. Deactivating an account revokes all its tokens.
          </Text>
          <FormActions submitLabel="Create token" loading={create.isPending} />
        </Stack>
      </form>
      {created && <ApiTokenModal token={created} onClose={() => setCreated(null)} />}
    </Section>
  );
}

/** My account: who I am, my password, my second factor and my API tokens. */
export function AccountPage({ me }: { me: Me }) {
  return (
    <>
      <Title order={2} mb={4}>
        My account
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Your identity, roles and session, and how you sign in.
      </Text>
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <ProfileSection me={me} />
            <ElectronicSignatureSection me={me} />
            <Section title="Password" description="Used to sign in and to confirm every electronic signature.">
              <ChangePasswordForm me={me} forced={false} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <TwoFactorSection me={me} />
            <ApiTokensSection />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
