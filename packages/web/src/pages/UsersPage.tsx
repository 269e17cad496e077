import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Menu, Modal, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { roleLabels, roleNames, type RoleName } from '@verity/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DateTime, Empty, fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import { endpoints, type IdentityVerificationMethod, type Me, type RoleGrant, type TemporaryPassword, type UserSummary } from '../endpoints';
import { formatLocal } from '../format';
import { notifySuccess } from '../notify';
import { linkProps } from '../router';
import { TrainingProfileDrawer } from '../training/TrainingProfileDrawer';

const roleOptions = roleNames.map((r) => ({ value: r, label: roleLabels[r] }));

function useSiteOptions() {
  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  return (sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }));
}

/** Role grants per site, as rows of (role, site) with add and remove. */
function RolesEditor({ roles, onChange, error }: { roles: RoleGrant[]; onChange: (roles: RoleGrant[]) => void; error?: string }) {
  const siteOptions = useSiteOptions();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Roles by site
      </Text>
      {roles.map((grant, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional while editing
        <Group key={index} gap="xs" wrap="nowrap">
          <Select
            aria-label={`Role ${index + 1}`}
            data={roleOptions}
            value={grant.role}
            onChange={(v) => onChange(roles.map((g, i) => (i === index ? { ...g, role: (v ?? g.role) as RoleName } : g)))}
            allowDeselect={false}
            style={{ flex: 1 }}
          />
          <Select
            aria-label={`Site of role ${index + 1}`}
            data={siteOptions}
            value={grant.siteCode || null}
            placeholder="Site"
            onChange={(v) => onChange(roles.map((g, i) => (i === index ? { ...g, siteCode: v ?? '' } : g)))}
            allowDeselect={false}
            w={170}
          />
          <ActionIcon variant="subtle" color="gray" aria-label={`Remove role ${index + 1}`} onClick={() => onChange(roles.filter((_, i) => i !== index))}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-sm"
        style={{ alignSelf: 'flex-start' }}
        onClick={() => onChange([...roles, { role: 'operator', siteCode: siteOptions[0]?.value ?? '' }])}
      >
        + Add role
      </Button>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function TemporaryPasswordModal({ result, onClose }: { result: TemporaryPassword; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Temporary password for {result.user.fullName}</Text>} closeOnClickOutside={false}>
      <Stack gap="sm">
        <Alert color="yellow">
          This password is shown only once. Give it to {result.user.fullName} in person or by a secure channel. It must be changed at first sign-in
          and expires {formatLocal(result.expiresAt)}.
        </Alert>
        <Group gap="xs" wrap="nowrap">
          <Code fz="lg" p="sm" style={{ flex: 1 }} data-testid="temporary-password">
            {result.temporaryPassword}
          </Code>
          <CopyButton value={result.temporaryPassword}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CreateUserModal({ onClose, onCreated }: { onClose: () => void; onCreated: (r: TemporaryPassword) => void }) {
  const [form, setForm] = useState({ username: '', fullName: '', email: '' });
  const [roles, setRoles] = useState<RoleGrant[]>([]);
  const create = useMutation({
    mutationFn: () => endpoints.createUser({ username: form.username.trim(), fullName: form.fullName.trim(), email: form.email.trim() || undefined, roles }),
    onSuccess: onCreated,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>New user</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="User name" required value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} error={fieldError(create.error, 'username')} />
          <TextInput
            label="Full name"
            description="Printed with the person's electronic signatures"
            required
            value={form.fullName}
            onChange={(e) => setForm({ ...form, fullName: e.currentTarget.value })}
            error={fieldError(create.error, 'fullName')}
          />
          <TextInput label="E-mail" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} error={fieldError(create.error, 'email')} />
          <RolesEditor roles={roles} onChange={setRoles} error={fieldError(create.error, 'roles')} />
          <FormProblem error={create.error} shownFields={['username', 'fullName', 'email', 'roles']} />
          <FormActions submitLabel="Create user" loading={create.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** How the administrator checked that the person is who they claim to be (21 CFR 11.100(b)). */
const verificationMethodLabels: Record<IdentityVerificationMethod, string> = {
  'in-person-photo-id': 'In person, with an official photo ID',
  'hr-record': 'HR record (identity checked at hiring)',
  'video-call-photo-id': 'Video call, with an official photo ID shown',
  'manager-attestation': "Written attestation by the person's manager",
};
const verificationMethodOptions = Object.entries(verificationMethodLabels).map(([value, label]) => ({ value, label }));
const isVerificationMethod = (value: string | null): value is IdentityVerificationMethod => value !== null && value in verificationMethodLabels;

/** Records how the person's identity was verified: this establishes their electronic signature. */
function IdentityVerificationModal({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<IdentityVerificationMethod | null>(null);
  const [evidenceRef, setEvidenceRef] = useState('');
  // Local checks show after the first attempt and follow the input from then on.
  const [tried, setTried] = useState(false);
  const localErrors: Record<string, string | undefined> = tried
    ? { method: method ? undefined : 'Choose how you verified the identity', evidenceRef: evidenceRef.trim() ? undefined : 'Say where the evidence can be found' }
    : {};
  const run = useMutation({
    mutationFn: (chosen: IdentityVerificationMethod) => endpoints.recordIdentityVerification(user.id, { method: chosen, evidenceRef: evidenceRef.trim() }),
    meta: { silent: true },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifySuccess('Identity verification recorded', `${user.fullName} can now sign electronically. Recorded by ${result.verifiedByName}.`);
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (method && evidenceRef.trim()) run.mutate(method);
  };
  const errorFor = (name: string) => localErrors[name] ?? fieldError(run.error, name);
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>{`Record identity verification: ${user.fullName}`}</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Alert color="blue" variant="light">
            <Text size="sm">
              Before {user.fullName} (<Text span ff="monospace" size="sm">{user.username}</Text>) can sign electronically, record how you verified that
              they are who they claim to be (21 CFR 11.100(b)). The record goes into the audit trail under your name and cannot be changed.
            </Text>
          </Alert>
          <Select
            label="How was the identity verified?"
            placeholder="Choose the method"
            required
            data={verificationMethodOptions}
            value={method}
            onChange={(v) => setMethod(isVerificationMethod(v) ? v : null)}
            error={errorFor('method')}
            allowDeselect={false}
          />
          <TextInput
            label="Evidence reference"
            description="What you checked and where the evidence is kept, e.g. “Passport checked, HR file 2026-118”. Do not type ID numbers."
            required
            maxLength={200}
            value={evidenceRef}
            onChange={(e) => setEvidenceRef(e.currentTarget.value)}
            error={errorFor('evidenceRef')}
          />
          <FormProblem error={run.error} shownFields={['method', 'evidenceRef']} ignoredFields={['id']} />
          <FormActions submitLabel="Record verification" loading={run.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Badges in table cells show their whole text rather than an ellipsis. */
const fullBadge = { root: { maxWidth: 'none', flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } } as const;

/** Whether the person's electronic signature is established (identity verified by an administrator). */
function SignatureBadge({ user }: { user: UserSummary }) {
  return user.identityVerified ? (
    <Badge color="teal" variant="light" tt="none" styles={fullBadge} data-testid="signature-state">
      Signature established
    </Badge>
  ) : (
    <Badge color="orange" variant="outline" tt="none" styles={fullBadge} data-testid="signature-state">
      Identity not verified
    </Badge>
  );
}

type UserAction = 'deactivate' | 'reset' | 'unlock' | 'roles';
const actionTitles: Record<UserAction, string> = {
  deactivate: 'Deactivate user',
  reset: 'Reset password',
  unlock: 'Unlock account',
  roles: 'Edit roles',
};

/** Every administrative change to an account needs a reason: it goes into the audit trail. */
function UserActionModal({ user, action, onClose, onTemporaryPassword }: { user: UserSummary; action: UserAction; onClose: () => void; onTemporaryPassword: (r: TemporaryPassword) => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [roles, setRoles] = useState<RoleGrant[]>(user.roles);
  const run = useMutation({
    mutationFn: async () => {
      const r = reason.trim();
      if (action === 'deactivate') await endpoints.deactivateUser(user.id, r);
      if (action === 'unlock') await endpoints.unlockUser(user.id, r);
      if (action === 'roles') await endpoints.setRoles(user.id, roles, r);
      if (action === 'reset') return endpoints.resetPassword(user.id, r);
      return null;
    },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifySuccess(`${actionTitles[action]}: done`, user.fullName);
      onClose();
      if (result) onTemporaryPassword(result);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>{`${actionTitles[action]}: ${user.fullName}`}</Text>} size={action === 'roles' ? 'lg' : 'md'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {action === 'deactivate' && <Alert color="orange">{user.fullName} will no longer be able to sign in. Their records and signatures stay unchanged.</Alert>}
          {action === 'reset' && <Alert color="blue">A new temporary password is generated and shown once; the current password stops working.</Alert>}
          {action === 'roles' && <RolesEditor roles={roles} onChange={setRoles} error={fieldError(run.error, 'roles')} />}
          <Textarea label="Reason" description="Recorded in the audit trail" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(run.error, 'reason')} />
          <FormProblem error={run.error} shownFields={['reason', 'roles']} ignoredFields={['id']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={action === 'deactivate' ? 'red' : undefined} loading={run.isPending} disabled={!reason.trim()}>
              {actionTitles[action]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage({ me }: { me: Me }) {
  const users = useQuery({ queryKey: ['users'], queryFn: endpoints.users });
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [temporary, setTemporary] = useState<TemporaryPassword | null>(null);
  const [pending, setPending] = useState<{ user: UserSummary; action: UserAction } | null>(null);
  const [verifying, setVerifying] = useState<UserSummary | null>(null);
  const [profileOf, setProfileOf] = useState<UserSummary | null>(null);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Users</Title>
        <Button onClick={() => setCreating(true)}>New user</Button>
      </Group>
      <Paper withBorder radius="md">
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <QueryError error={users.error} what="the users" />
        ) : users.data.items.length === 0 ? (
          <Empty>No users.</Empty>
        ) : (
          <Table.ScrollContainer minWidth={1000}>
            <Table striped verticalSpacing={6} fz="sm" aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User name</Table.Th>
                  <Table.Th>Full name</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Electronic signature</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td ff="monospace">
                      {user.username}
                      {user.id === me.id && (
                        <Badge ml={6} size="xs" variant="outline" color="gray" tt="none" ff="var(--mantine-font-family)">
                          you
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {user.fullName}
                      {user.email && (
                        <Text size="xs" c="dimmed">
                          {user.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {user.roles.map((g) => (
                          <Badge key={`${g.role}@${g.siteCode}`} variant="light" color="gray" tt="none" styles={fullBadge}>
                            {roleLabels[g.role]} · {g.siteCode}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {!user.active ? (
                        <Badge color="gray" tt="none" styles={fullBadge}>
                          Deactivated
                        </Badge>
                      ) : user.locked ? (
                        <Badge color="red" tt="none" styles={fullBadge}>
                          Locked
                        </Badge>
                      ) : (
                        <Badge color="teal" variant="light" tt="none" styles={fullBadge}>
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <SignatureBadge user={user} />
                    </Table.Td>
                    <Table.Td>
                      <DateTime iso={user.lastLoginAt} />
                    </Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`}>
                            ⋯
                          </ActionIcon>
                        </Menu.Target>
                        {user.id === me.id ? (
                          <Menu.Dropdown maw={280}>
                            <Menu.Label style={{ whiteSpace: 'normal' }}>
                              This is you. Another administrator must change your roles, verify your identity, unlock or deactivate your account
                              (segregation of duties).
                            </Menu.Label>
                            <Menu.Item {...linkProps('/account')} component="a">
                              My account (password, two-factor)…
                            </Menu.Item>
                          </Menu.Dropdown>
                        ) : (
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => setPending({ user, action: 'roles' })}>Edit roles…</Menu.Item>
                            <Menu.Item disabled={!user.active} onClick={() => setProfileOf(user)}>
                              Training profile…
                            </Menu.Item>
                            <Menu.Item disabled={!user.active} onClick={() => setVerifying(user)}>
                              {user.identityVerified ? 'Record identity verification again…' : 'Record identity verification…'}
                            </Menu.Item>
                            <Menu.Item disabled={!user.active} onClick={() => setPending({ user, action: 'reset' })}>
                              Reset password…
                            </Menu.Item>
                            <Menu.Item disabled={!user.locked || !user.active} onClick={() => setPending({ user, action: 'unlock' })}>
                              Unlock…
                            </Menu.Item>
                            <Menu.Divider />
                            <Menu.Item color="red" disabled={!user.active} onClick={() => setPending({ user, action: 'deactivate' })}>
                              Deactivate…
                            </Menu.Item>
                          </Menu.Dropdown>
                        )}
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {creating && (
        <CreateUserModal
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setTemporary(result);
            void queryClient.invalidateQueries({ queryKey: ['users'] });
          }}
        />
      )}
      {pending && <UserActionModal user={pending.user} action={pending.action} onClose={() => setPending(null)} onTemporaryPassword={setTemporary} />}
      {verifying && <IdentityVerificationModal user={verifying} onClose={() => setVerifying(null)} />}
      {temporary && <TemporaryPasswordModal result={temporary} onClose={() => setTemporary(null)} />}
      <TrainingProfileDrawer person={profileOf} me={me} onClose={() => setProfileOf(null)} />
    </>
  );
}
