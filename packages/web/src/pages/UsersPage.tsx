import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Menu, Modal, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { roleLabels, roleNames, type RoleName } from '@verity/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DateTime, Empty, fieldError, FormProblem, Loading, QueryError } from '../components/common';
import { endpoints, type Me, type RoleGrant, type TemporaryPassword, type UserSummary } from '../endpoints';
import { formatLocal } from '../format';
import { notifySuccess } from '../notify';
import { linkProps } from '../router';

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
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
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
          <Table.ScrollContainer minWidth={860}>
            <Table striped verticalSpacing={6} fz="sm" aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User name</Table.Th>
                  <Table.Th>Full name</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>State</Table.Th>
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
                          <Badge key={`${g.role}@${g.siteCode}`} variant="light" color="gray" style={{ textTransform: 'none' }}>
                            {roleLabels[g.role]} · {g.siteCode}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {!user.active ? (
                        <Badge color="gray" tt="none">Deactivated</Badge>
                      ) : user.locked ? (
                        <Badge color="red" tt="none">Locked</Badge>
                      ) : (
                        <Badge color="teal" variant="light" tt="none">
                          Active
                        </Badge>
                      )}
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
                              This is you. Another administrator must change your roles, unlock or deactivate your account (segregation of duties).
                            </Menu.Label>
                            <Menu.Item {...linkProps('/account')} component="a">
                              My account (password, two-factor)…
                            </Menu.Item>
                          </Menu.Dropdown>
                        ) : (
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => setPending({ user, action: 'roles' })}>Edit roles…</Menu.Item>
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
      {temporary && <TemporaryPasswordModal result={temporary} onClose={() => setTemporary(null)} />}
    </>
  );
}
